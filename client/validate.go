package client

import (
	"fmt"
	"strconv"
	"strings"
)

// checkID rejects ids that no object can have.
func checkID(what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("attune: %s id %d: %w: ids are positive", what, id, ErrInvalidArgument)
	}
	return nil
}

// idParam formats an id as a path parameter.
func idParam(id int64) string { return strconv.FormatInt(id, 10) }

// checkRef rejects refs and trace tags that must not become a path segment:
// empty, the redaction placeholder (never follow a redacted ref), or
// containing "..". Everything else is sent as one escaped segment.
func checkRef(what, ref string) error {
	switch {
	case ref == "":
		return fmt.Errorf("attune: %s: %w: empty ref", what, ErrInvalidArgument)
	case ref == Redacted:
		return fmt.Errorf("attune: %s: %w: the ref is %s and cannot be followed", what, ErrInvalidArgument, Redacted)
	case ref == "." || strings.Contains(ref, ".."):
		return fmt.Errorf("attune: %s %q: %w: a ref must not contain \"..\"", what, ref, ErrInvalidArgument)
	}
	return nil
}
