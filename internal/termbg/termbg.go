// Package termbg decides whether the terminal has a dark background without
// asking the terminal: asking (OSC 11 and a cursor-position request) waits
// for an answer that a serial console, a pipe through script(1) or many
// editor terminals never give, and the first frame would wait with it.
package termbg

import (
	"fmt"
	"strconv"
	"strings"
)

// EnvBackground names the variable that overrides the guess: "light" or
// "dark".
const EnvBackground = "ATTUNE_BACKGROUND"

// Dark reports whether the background is dark, from getenv: EnvBackground
// when it is set, else COLORFGBG ("fg;bg" or "fg;default;bg", as rxvt,
// Konsole and others set it; background colours 7 and 9-15 are light),
// else dark, the common case. A value of EnvBackground other than light or
// dark is an error; the answer is then the one COLORFGBG gives.
func Dark(getenv func(string) string) (bool, error) {
	dark := colorFGBG(getenv("COLORFGBG"))
	switch v := strings.ToLower(strings.TrimSpace(getenv(EnvBackground))); v {
	case "":
		return dark, nil
	case "dark":
		return true, nil
	case "light":
		return false, nil
	default:
		return dark, fmt.Errorf("%s=%q: want light or dark", EnvBackground, v)
	}
}

// colorFGBG reads a COLORFGBG value; anything it cannot read is dark.
func colorFGBG(v string) bool {
	if v == "" {
		return true
	}
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return true
	}
	return bg != 7 && (bg < 9 || bg > 15)
}
