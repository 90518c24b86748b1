package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// imageRE matches Markdown images and HTML img tags.
var imageRE = regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<img\s[^>]*src="([^"]+)"`)

// readmeImages returns the local image paths doc references.
func readmeImages(doc string) []string {
	var out []string
	for _, m := range imageRE.FindAllStringSubmatch(doc, -1) {
		p := m[1]
		if p == "" {
			p = m[2]
		}
		if strings.Contains(p, "://") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// TestREADMEImages: every image the README references exists and is not
// empty, and the screenshots are among them.
func TestREADMEImages(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	imgs := readmeImages(string(raw))
	if len(imgs) < 8 {
		t.Errorf("README references %d images, want the 8 screenshots: %q", len(imgs), imgs)
	}
	for _, p := range imgs {
		st, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
		switch {
		case err != nil:
			t.Errorf("README references %s: %v (run go run ./scripts/screenshots)", p, err)
		case st.Size() == 0:
			t.Errorf("README references %s, which is empty (run go run ./scripts/screenshots)", p)
		}
	}
}

func TestReadmeImagesParse(t *testing.T) {
	t.Parallel()
	doc := "![a](docs/a.svg)\n![b](docs/b.svg \"title\")\n<img src=\"docs/c.svg\" alt=\"c\">\n![remote](https://x/y.png)\n"
	got := strings.Join(readmeImages(doc), ",")
	if want := "docs/a.svg,docs/b.svg,docs/c.svg"; got != want {
		t.Errorf("readmeImages = %q, want %q", got, want)
	}
}
