// The dashboard's ncurses terminal: drawing styles, keys and resizes.
#include "labs/dashboard/curses_terminal.h"

#include <cstdio>
#include <string>

#include <curses.h>
#include <unistd.h>

#include "labs/dashboard/keymap.h"

namespace p2p::dashboard {
namespace {

enum Pair : short { kHeaderPair = 1, kGoodPair, kBadPair, kWarnPair };

int translate(int ch) {
  switch (ch) {
    case KEY_UP:
      return keys::kUp;
    case KEY_DOWN:
      return keys::kDown;
    case KEY_PPAGE:
      return keys::kPageUp;
    case KEY_NPAGE:
      return keys::kPageDown;
    case KEY_HOME:
      return keys::kHome;
    case KEY_END:
      return keys::kEnd;
    case KEY_ENTER:
    case '\n':
    case '\r':
      return keys::kEnter;
    case 27:
      return keys::kEscape;
    case KEY_BACKSPACE:
    case 127:
    case 8:
      return keys::kBackspace;
    case KEY_RESIZE:
      return keys::kResize;
    default:
      return ch;
  }
}

}  // namespace

CursesTerminal::~CursesTerminal() {
  stop();
}

bool CursesTerminal::start() {
  if (isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0) return false;
  // newterm, unlike initscr, returns null on an unknown terminal instead of exiting the process.
  if (newterm(nullptr, stdout, stdin) == nullptr) return false;
  started_ = true;
  cbreak();  // Ctrl-C still reaches the launcher as SIGINT
  noecho();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  set_escdelay(25);  // Esc means "back" at once, not after ncurses' default second
  curs_set(0);
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(kHeaderPair, COLOR_BLACK, COLOR_CYAN);
    init_pair(kGoodPair, COLOR_GREEN, -1);
    init_pair(kBadPair, COLOR_RED, -1);
    init_pair(kWarnPair, COLOR_YELLOW, -1);
    colours_ = true;
  }
  return true;
}

void CursesTerminal::stop() {
  if (!started_) return;
  endwin();
  started_ = false;
}

int CursesTerminal::rows() const {
  return getmaxy(stdscr);
}
int CursesTerminal::cols() const {
  return getmaxx(stdscr);
}

void CursesTerminal::put(int row, int col, std::string_view text, Style style) {
  attr_t attributes = A_NORMAL;
  switch (style) {
    case Style::Normal:
      break;
    case Style::Dim:
      attributes = A_DIM;
      break;
    case Style::Bold:
      attributes = A_BOLD;
      break;
    case Style::Header:
      attributes = colours_ ? COLOR_PAIR(kHeaderPair) : A_REVERSE;
      break;
    case Style::Selected:
      attributes = A_REVERSE | A_BOLD;
      break;
    case Style::Good:
      attributes = colours_ ? COLOR_PAIR(kGoodPair) : A_NORMAL;
      break;
    case Style::Bad:
      attributes = A_BOLD | (colours_ ? COLOR_PAIR(kBadPair) : A_NORMAL);
      break;
    case Style::Warn:
      attributes = colours_ ? COLOR_PAIR(kWarnPair) : A_BOLD;
      break;
  }
  // Node names and reasons come from other processes: a control character would move the cursor.
  std::string clean(text);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  attron(attributes);
  mvaddnstr(row, col, clean.c_str(), static_cast<int>(clean.size()));
  attroff(attributes);
}

void CursesTerminal::begin_frame() {
  erase();
}

void CursesTerminal::end_frame() {
  refresh();
}

std::optional<int> CursesTerminal::read_key() {
  int ch = getch();
  if (ch == ERR) return std::nullopt;
  if (ch == KEY_RESIZE) clearok(curscr, TRUE);  // repaint every cell: the old layout is gone
  return translate(ch);
}

}  // namespace p2p::dashboard
