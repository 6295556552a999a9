import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 response as read off the wire.
struct RawResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of header `name`.
    func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: body)
    }
}

/// A deliberately plain HTTP/1.1 client over a blocking loopback socket.
///
/// Tests need control that higher-level clients hide: no header is added unless the test
/// asks for it, bodies can be sent chunked, and a request can announce a body it never sends.
/// The blocking I/O runs on a Dispatch thread, never on the cooperative pool the server uses.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `method path` with `headers` and an optional `body` (with `Content-Length`).
    static func send(
        port: Int,
        _ method: String,
        _ path: String,
        headers: [(String, String)] = [],
        body: Data? = nil
    ) async throws -> RawResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let body { bytes.append(body) }
        return try await exchange(port: port, [bytes])
    }

    /// Sends `body` with `Transfer-Encoding: chunked`, in chunks of `chunkSize` bytes.
    static func sendChunked(
        port: Int,
        _ method: String,
        _ path: String,
        headers: [(String, String)] = [],
        body: Data,
        chunkSize: Int = 64 * 1024
    ) async throws -> RawResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nTransfer-Encoding: chunked\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        var parts = [Data(head.utf8)]
        var offset = 0
        while offset < body.count {
            let end = min(offset + chunkSize, body.count)
            var chunk = Data(String(end - offset, radix: 16).utf8 + Array("\r\n".utf8))
            chunk.append(body[offset..<end])
            chunk.append(contentsOf: Array("\r\n".utf8))
            parts.append(chunk)
            offset = end
        }
        parts.append(Data("0\r\n\r\n".utf8))
        return try await exchange(port: port, parts)
    }

    /// Sends raw bytes (already a complete request) and reads one response.
    ///
    /// The blocking socket calls run on a thread of their own, not on Dispatch's shared
    /// pool: the server in this process needs that pool for its database writes, and a few
    /// clients blocked in `recv` on its threads kept a write waiting for seconds, until
    /// Dispatch added a thread.
    static func exchange(port: Int, _ parts: [Data]) async throws -> RawResponse {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, parts) })
            }.start()
        }
    }

    /// True when something accepts TCP connections on `port`.
    static func isListening(port: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                guard let fd = try? connectSocket(port: port) else {
                    continuation.resume(returning: false)
                    return
                }
                close(fd)
                continuation.resume(returning: true)
            }
        }
    }

    private static func connectSocket(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        return fd
    }

    private static func blockingExchange(port: Int, _ parts: [Data]) throws -> RawResponse {
        let fd = try connectSocket(port: port)
        defer { close(fd) }
        // A server may answer (413) before the whole body is sent; a failed send is then
        // expected, and the answer is still read.
        sending: for part in parts {
            var sent = 0
            while sent < part.count {
                let written = part.withUnsafeBytes { buffer in
                    Glibc.send(fd, buffer.baseAddress! + sent, part.count - sent, Int32(MSG_NOSIGNAL))
                }
                if written <= 0 { break sending }
                sent += written
            }
        }
        return try readResponse(fd)
    }

    private static func readResponse(_ fd: Int32) throws -> RawResponse {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        func fill() throws -> Bool {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 { throw Failure(description: "recv failed: errno \(errno)") }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        let separator = Data("\r\n\r\n".utf8)
        var headEnd: Range<Data.Index>?
        while true {
            headEnd = buffer.range(of: separator)
            if headEnd != nil { break }
            guard try fill() else { throw Failure(description: "connection closed before a response head") }
        }
        let head = String(decoding: buffer[..<headEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = RawResponse(status: status, headers: headers, body: Data())
        var rest = Data(buffer[headEnd!.upperBound...])
        buffer = rest

        if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            while buffer.count < length {
                guard try fill() else { break }
            }
            response.body = Data(buffer.prefix(length))
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var body = Data()
            while true {
                while buffer.range(of: Data("\r\n".utf8)) == nil {
                    guard try fill() else { throw Failure(description: "truncated chunk size") }
                }
                let lineEnd = buffer.range(of: Data("\r\n".utf8))!
                let sizeText = String(decoding: buffer[..<lineEnd.lowerBound], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else {
                    throw Failure(description: "bad chunk size")
                }
                rest = Data(buffer[lineEnd.upperBound...])
                buffer = rest
                if size == 0 { break }
                while buffer.count < size + 2 {
                    guard try fill() else { throw Failure(description: "truncated chunk") }
                }
                body.append(buffer.prefix(size))
                buffer = Data(buffer.dropFirst(size + 2))
            }
            response.body = body
        } else if status != 204 && status != 304 {
            while try fill() {}
            response.body = buffer
        }
        return response
    }
}
