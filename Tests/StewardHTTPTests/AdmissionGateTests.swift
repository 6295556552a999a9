import Foundation
import Synchronization
@testable import StewardHTTP
import XCTest

/// The admission gate lets `capacity` callers in at once and the rest in arrival order.
final class AdmissionGateTests: XCTestCase {
    func testCallersBeyondTheCapacityWaitAndGoInInArrivalOrder() async throws {
        let gate = AdmissionGate(capacity: 2)
        await gate.enter()
        await gate.enter()
        let order = Arrivals()
        var waiters: [Task<Void, Never>] = []
        for index in 0..<5 {
            waiters.append(Task {
                await gate.enter()
                order.add(index)
            })
            // Each in line before the next arrives.
            while gate.waiting < index + 1 { await Task.yield() }
        }
        XCTAssertEqual(order.all, [], "nobody past the capacity got in")
        for step in 0..<5 {
            gate.leave()
            while order.all.count < step + 1 { await Task.yield() }
        }
        for waiter in waiters { await waiter.value }
        XCTAssertEqual(order.all, [0, 1, 2, 3, 4])
        XCTAssertEqual(gate.waiting, 0)
    }

    func testAPlaceLeftWithNobodyWaitingGoesBackToTheGate() async {
        let gate = AdmissionGate(capacity: 1)
        for _ in 0..<1_000 {
            await gate.enter()
            gate.leave()
        }
        await gate.enter()
        XCTAssertEqual(gate.waiting, 0)
    }
}

/// The order callers got in, written from several tasks.
private final class Arrivals: Sendable {
    private let list = Mutex<[Int]>([])
    func add(_ index: Int) { list.withLock { $0.append(index) } }
    var all: [Int] { list.withLock { $0 } }
}
