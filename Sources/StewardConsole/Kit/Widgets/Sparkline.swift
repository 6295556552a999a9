/// A bar chart in block characters, `▁▂▃▄▅▆▇█`, newest value on the right. Each row of
/// the area adds eight more levels, so a two-row sparkline has sixteen.
///
/// Values are scaled to ``maxValue`` if set, else to the largest value shown; zero and
/// negative values draw nothing, so an idle period reads as a gap rather than a low bar.
public struct Sparkline: Equatable, Sendable {
    public var values: [Double]
    /// The value that fills the whole height; nil to scale to the largest visible value.
    public var maxValue: Double?
    public var role: ThemeRole

    public init(values: [Double], maxValue: Double? = nil, role: ThemeRole = .sparkline) {
        self.values = values
        self.maxValue = maxValue
        self.role = role
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The bars as text for a one-row sparkline of `width` columns (used in status lines).
    public func line(width: Int) -> String {
        var buffer = CellBuffer(width: width, height: 1)
        render(into: &buffer, area: buffer.area, theme: .monochrome)
        return buffer.lines()[0]
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let style = theme[role].on(theme[.base])
        buffer.fill(area, style: style)
        let shown = values.suffix(area.width)
        let scale = maxValue ?? shown.max() ?? 0
        guard scale > 0 else { return }
        let levels = area.height * 8
        let startX = area.maxX - shown.count
        for (offset, value) in shown.enumerated() {
            guard value > 0 else { continue }
            // At least one level for any positive value, so small activity stays visible.
            let level = max(1, min(levels, Int((min(value, scale) / scale * Double(levels)).rounded())))
            for row in 0..<area.height {
                let levelInRow = min(8, level - row * 8)
                guard levelInRow > 0 else { break }
                buffer.put(String(Sparkline.blocks[levelInRow - 1]), x: startX + offset, y: area.maxY - 1 - row, style: style)
            }
        }
    }
}
