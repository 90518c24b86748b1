// Command keysmd rewrites the keys table of README.md (between
// <!-- keys:begin --> and <!-- keys:end -->) from the screens' key maps.
// Run it from the repository root: go run ./scripts/keysmd [-check] [README.md].
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/attune-tui/attune-tui/ui/keydoc"
)

func main() {
	check := flag.Bool("check", false, "only report whether the table is up to date (exit 1 if not)")
	flag.Parse()
	path := "README.md"
	if flag.NArg() > 0 {
		path = flag.Arg(0)
	}
	if err := run(path, *check); err != nil {
		fmt.Fprintln(os.Stderr, "keysmd:", err)
		os.Exit(1)
	}
}

func run(path string, check bool) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	out, err := keydoc.Replace(string(raw), keydoc.Markdown())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if out == string(raw) {
		return nil
	}
	if check {
		return fmt.Errorf("%s: keys table is out of date; run go run ./scripts/keysmd", path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(out), st.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
