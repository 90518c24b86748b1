//go:build !race

package logs

// raceEnabled: the race detector slows the event loop several times over.
const raceEnabled = false
