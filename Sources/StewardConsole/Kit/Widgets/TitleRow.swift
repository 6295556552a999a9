/// Draws a screen's title row: the name, then the filters in effect, in the header role.
func drawTitleRow(_ text: String, detail: String, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
    let row = area.top(1)
    let base = theme[.base]
    buffer.fill(row, style: base)
    let width = buffer.put(" " + text, x: row.x, y: row.y, style: theme[.title].on(base), maxWidth: row.width)
    buffer.put("  " + detail, x: row.x + width, y: row.y, style: theme[.muted].on(base), maxWidth: row.width - width)
}
