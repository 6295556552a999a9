/// A rectangle of terminal cells: column `x`, row `y` (both from the top-left, 0-based),
/// `width` columns and `height` rows.
///
/// Layout is done by cutting rectangles: a screen takes the whole terminal, splits off a
/// header row and a status row with ``splitRows(_:)``, splits the middle into a table and
/// a detail pane with ``splitColumns(_:)``, and hands each piece to a widget. Sizes never
/// go negative; a rectangle that runs out of room is simply empty.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle of a whole terminal or buffer of the given size.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var description: String { "(\(x),\(y) \(width)×\(height))" }

    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The overlap of two rectangles (empty, at this one's origin, when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left && bottom > top else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The rectangle shrunk by `amount` cells on every side (by 1: the inside of a border).
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// The rectangle shrunk by the given number of cells on each side.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    /// A rectangle of at most the given size centred in this one (dialogs, notices).
    public func centered(width wanted: Int, height wantedHeight: Int) -> Rect {
        let w = min(wanted, width), h = min(wantedHeight, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }

    /// The top `count` rows.
    public func top(_ count: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(count, height)) }
    /// The bottom `count` rows.
    public func bottom(_ count: Int) -> Rect {
        let h = min(count, height)
        return Rect(x: x, y: maxY - h, width: width, height: h)
    }

    /// Cuts the rectangle into bands stacked top to bottom, one per size.
    public func splitRows(_ sizes: [LayoutSize]) -> [Rect] {
        LayoutSize.distribute(height, among: sizes).map { band in
            Rect(x: x, y: y + band.offset, width: width, height: band.length)
        }
    }

    /// Cuts the rectangle into columns side by side, left to right, one per size.
    public func splitColumns(_ sizes: [LayoutSize]) -> [Rect] {
        LayoutSize.distribute(width, among: sizes).map { band in
            Rect(x: x + band.offset, y: y, width: band.length, height: height)
        }
    }
}

/// How much of a row or column a layout piece wants.
public enum LayoutSize: Equatable, Sendable {
    /// Exactly this many cells (less if there is not enough room).
    case fixed(Int)
    /// A share of what is left after fixed pieces and minimums: pieces with weight 2 get
    /// twice as much as pieces with weight 1; never less than `minimum` while room lasts.
    case fill(weight: Int = 1, minimum: Int = 0)

    /// A fill piece of weight 1 without a minimum, the common case.
    public static let fill = LayoutSize.fill(weight: 1, minimum: 0)

    /// Splits `total` cells among `sizes`, returning each piece's offset and length.
    ///
    /// Fixed pieces and fill minimums are served first, from the start; when they do not
    /// fit, later pieces shrink to nothing, so the first pieces (usually the most
    /// important) stay whole. The remainder goes to fill pieces by weight, with rounding
    /// leftovers going to the pieces whose exact share was cut the most, so the lengths
    /// always add up to `total` when there is any fill piece.
    public static func distribute(_ total: Int, among sizes: [LayoutSize]) -> [(offset: Int, length: Int)] {
        var lengths = [Int](repeating: 0, count: sizes.count)
        var remaining = max(0, total)
        for (index, size) in sizes.enumerated() {
            let wanted: Int
            switch size {
            case .fixed(let count): wanted = max(0, count)
            case .fill(_, let minimum): wanted = max(0, minimum)
            }
            lengths[index] = min(wanted, remaining)
            remaining -= lengths[index]
        }
        let fillIndices = sizes.indices.filter { if case .fill = sizes[$0] { return true } else { return false } }
        let totalWeight = fillIndices.reduce(0) { sum, index in
            if case .fill(let weight, _) = sizes[index] { return sum + max(1, weight) }
            return sum
        }
        if totalWeight > 0 && remaining > 0 {
            // Largest-remainder rounding: each piece gets its whole share, and the cells
            // left over go to the pieces whose exact share was cut the most.
            var handedOut = 0
            var remainders: [(index: Int, remainder: Int)] = []
            for index in fillIndices {
                guard case .fill(let weight, _) = sizes[index] else { continue }
                let exact = remaining * max(1, weight)
                lengths[index] += exact / totalWeight
                handedOut += exact / totalWeight
                remainders.append((index, exact % totalWeight))
            }
            let byRemainder = remainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
            for position in 0..<(remaining - handedOut) {
                lengths[byRemainder[position % byRemainder.count].index] += 1
            }
        }
        var offset = 0
        return lengths.map { length in
            defer { offset += length }
            return (offset, length)
        }
    }
}
