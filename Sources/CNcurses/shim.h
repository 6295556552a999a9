#ifndef STEWARD_CNCURSES_SHIM_H
#define STEWARD_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 refuses ncurses' mutable globals and cannot import its function-like macros:
// these accessors make them callable.
static inline WINDOW *steward_stdscr(void) { return stdscr; }
static inline int steward_lines(void) { return LINES; }
static inline int steward_cols(void) { return COLS; }
static inline int steward_colors(void) { return COLORS; }
static inline int steward_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t steward_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t steward_a_bold(void) { return A_BOLD; }
static inline attr_t steward_a_dim(void) { return A_DIM; }
static inline attr_t steward_a_underline(void) { return A_UNDERLINE; }
static inline attr_t steward_a_reverse(void) { return A_REVERSE; }
static inline attr_t steward_a_italic(void) { return A_ITALIC; }
static inline attr_t steward_a_normal(void) { return A_NORMAL; }
static inline mmask_t steward_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t steward_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t steward_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t steward_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t steward_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t steward_button5_pressed(void) { return BUTTON5_PRESSED; }
// stdio's streams are mutable globals too; newterm needs them when stdout is the terminal.
static inline FILE *steward_stdout(void) { return stdout; }
static inline FILE *steward_stdin(void) { return stdin; }
#endif
