package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/attune-tui/attune-tui/internal/textsafe"
	"github.com/attune-tui/attune-tui/ui/bundle"
	"github.com/attune-tui/attune-tui/ui/common"
)

// maxClipBundle is the largest bundle Markdown offered through OSC 52 when
// no file can be written (over SSH); terminals cap what they accept.
const maxClipBundle = 64 << 10

// bundleMsg answers a bundle: the files written, or over SSH the Markdown
// to offer through the clipboard.
type bundleMsg struct {
	mdPath, jsonPath string
	markdown         string
	err              error
}

// writePair creates base[-N].md and base[-N].json in dir, mode 0600, with
// the same N, never replacing a file.
func writePair(dir, base string, md, js []byte) (string, string, error) {
	if dir == "" {
		dir = "."
	}
	create := func(p string) (*os.File, error) {
		return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	}
	for i := 1; i <= 1000; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		mdPath, jsPath := filepath.Join(dir, name+".md"), filepath.Join(dir, name+".json")
		fm, err := create(mdPath)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", "", fmt.Errorf("create bundle file: %w", err)
		}
		fj, err := create(jsPath)
		if err != nil {
			_ = fm.Close()
			_ = os.Remove(mdPath)
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return "", "", fmt.Errorf("create bundle file: %w", err)
		}
		err = writeClose(fm, md)
		if jerr := writeClose(fj, js); err == nil {
			err = jerr
		}
		if err != nil {
			return mdPath, jsPath, fmt.Errorf("write bundle: %w", err)
		}
		return mdPath, jsPath, nil
	}
	return "", "", fmt.Errorf("create bundle file: %s.md and 999 numbered names exist in %s", base, dir)
}

// writeClose writes b to f (made 0600 whatever the umask did) and closes it.
func writeClose(f *os.File, b []byte) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(b)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// bundleCmd collects the bundle of start and writes its files to dir, or
// (files false, over SSH) returns its Markdown.
func bundleCmd(deps common.Deps, start common.BundleStart, files bool) tea.Cmd {
	api, now, server, dir := deps.API, deps.Now(), deps.ServerURL, deps.ExportDir
	return func() tea.Msg {
		ctx, cancel := deps.RequestContext()
		defer cancel()
		b, err := bundle.Collect(ctx, api, server, start.Kind, start.ID, start.Tag, now)
		if err != nil {
			return bundleMsg{err: err}
		}
		md := b.Markdown()
		if !files {
			return bundleMsg{markdown: md}
		}
		js, err := b.JSON()
		if err != nil {
			return bundleMsg{err: err}
		}
		base := "attune-bundle-" + start.Kind + "-" + strconv.FormatInt(start.ID, 10) + "-" + now.UTC().Format("20060102-150405")
		if start.Kind == "trace" {
			base = "attune-bundle-trace-" + now.UTC().Format("20060102-150405")
		}
		mdPath, jsPath, err := writePair(dir, base, []byte(md), js)
		return bundleMsg{mdPath: mdPath, jsonPath: jsPath, err: err}
	}
}

// exportBundle starts the incident bundle of the screen's chain.
func (a *App) exportBundle(v common.View) tea.Cmd {
	bv, ok := v.(common.Bundler)
	if !ok {
		return a.say("X: lists export their rows, and events, enforcements, executions and traces an incident bundle; this screen has neither", true)
	}
	start, ok := bv.BundleStart()
	if !ok {
		return a.say("X: still loading", true)
	}
	if a.deps.API == nil {
		return nil
	}
	if a.deps.AllowExec {
		a.cmdline = a.cmdline.SetMessage("collecting the incident bundle…", false)
	} else {
		a.cmdline = a.cmdline.SetMessage("collecting the incident bundle (no files over SSH: its Markdown goes to the clipboard if ≤ 64 KiB)…", false)
	}
	return bundleCmd(a.deps, start, a.deps.AllowExec)
}

// onBundle reports a bundle, or offers its Markdown through the clipboard.
func (a *App) onBundle(msg bundleMsg) tea.Cmd {
	switch {
	case msg.err != nil && msg.mdPath != "":
		a.cmdline = a.cmdline.SetMessage("bundle incomplete in "+textsafe.Line(msg.mdPath)+": "+common.ErrorLine(msg.err), true)
	case msg.err != nil:
		a.cmdline = a.cmdline.SetMessage("bundle: "+common.ErrorLine(msg.err), true)
	case msg.mdPath != "":
		a.cmdline = a.cmdline.SetMessage("wrote the incident bundle: "+textsafe.Line(msg.mdPath)+" and "+textsafe.Line(filepath.Base(msg.jsonPath))+" (mode 0600)", false)
	case len(msg.markdown) > maxClipBundle:
		a.cmdline = a.cmdline.SetMessage(fmt.Sprintf("the bundle's Markdown is %d KiB, over the %d KiB clipboard cap; over SSH no file is written: run attune-tui locally for the files",
			(len(msg.markdown)+1023)>>10, maxClipBundle>>10), true)
	default:
		return a.copy(msg.markdown, fmt.Sprintf("the bundle's Markdown (%.1f KiB; no file is written over SSH)", float64(len(msg.markdown))/1024))
	}
	return nil
}
