package devserver

import (
	"encoding/json"
)

// emit attaches ex's runtime-log version (if it started) and hands it to s.
func (g *generator) emit(s sink, ex *executionRow) error {
	g.attachLog(ex)
	return s.execution(ex)
}

// attachLog gives a started execution its log version: the next version
// number of its action's artifacts, and, unless retention deleted it, a
// kind. Finished executions get a static kind drawn from (seed, id) and a
// result whose stdout/stderr match the log; running ones grow (live).
// Nothing here draws from g.rng, so logs never shift other seeded data.
func (g *generator) attachLog(ex *executionRow) {
	if ex.StartedAt == nil || ex.Action == nil || g.cat.actions[*ex.Action] == nil {
		return
	}
	a := *ex.Action
	g.logVersions[a]++
	row := &logRow{Action: a, Version: g.logVersions[a], Created: *ex.StartedAt}
	ex.Log = row
	if *ex.StartedAt < g.retainFrom {
		row.Expired = true // the 7-day retention deleted both versions
		return
	}
	if !terminalStatus(ex.Status) {
		row.Kind = LogKindLive // running or canceling: still writing
		return
	}
	if ex.Status != "abandoned" { // an abandoned worker never sealed
		row.Sealed = ptr(ex.Updated)
	}
	rng := logRand(g.seed, ex.ID, "", 7)
	h, expire := rng.IntN(100), rng.IntN(100) < 4
	switch {
	case g.wantBig(ex):
		row.Kind, expire = LogKindTruncated, false
	case h < 5:
		row.Kind = LogKindEmpty
	case h < 12:
		row.Kind = LogKindHostile
	case h < 32:
		row.Kind = LogKindANSI
	case h < 52:
		row.Kind = LogKindProgress
	case h < 72:
		row.Kind = LogKindJSON
	default:
		row.Kind = LogKindUTF8
	}
	ex.Result = resultWithLogs(g.seed, ex, row)
	// A few recent ones lost their logs too (a short per-action
	// log_retention override): the execution row stays.
	row.Expired = expire
}

// wantBig reports whether ex takes the next truncated-log slot: the first
// finished top-level execution at or after each target age that the seed
// reaches, so a seed has at most three (one for tiny seeds).
func (g *generator) wantBig(ex *executionRow) bool {
	if ex.Parent != nil || ex.OriginalExecution != nil || (ex.Status != "completed" && ex.Status != "failed") {
		return false
	}
	for g.bigNext < len(g.bigTargets) && g.bigTargets[g.bigNext] >= g.n {
		g.bigNext++
	}
	if g.bigNext < len(g.bigTargets) && g.age <= g.bigTargets[g.bigNext] {
		g.bigNext++
		return true
	}
	return false
}

// resultWithLogs returns ex's result with the captured output as upstream
// puts it there [WEXEC]: stdout (present when non-empty; omitted with
// stdout_truncated for a log cut at the cap), the existing stderr key set to
// the stderr text, and the *_truncated counters on failed, cancelled and
// timed-out results.
func resultWithLogs(seed uint64, ex *executionRow, row *logRow) json.RawMessage {
	res := ex.resultMap
	if res == nil {
		return ex.Result
	}
	in := logInfo{exec: ex.ID, actionRef: ex.ActionRef, status: ex.Status, row: *row}
	if ex.TimeoutSeconds != nil {
		in.timeout = *ex.TimeoutSeconds
	}
	in.errMsg, _ = res["error"].(string)
	setOutput(res, in, logText(seed, in, StreamStdout, 0), logText(seed, in, StreamStderr, 0))
	return mustJSON(res)
}

// setOutput writes stdout/stderr (and the truncation counters) into res.
func setOutput(res map[string]any, in logInfo, stdout, stderr []byte) {
	truncated := in.row.Kind == LogKindTruncated
	switch {
	case truncated:
		delete(res, "stdout")
	case len(stdout) > 0:
		res["stdout"] = string(stdout)
	default:
		delete(res, "stdout")
	}
	if _, ok := res["stderr"]; ok || len(stderr) > 0 {
		res["stderr"] = string(stderr)
	}
	switch in.status {
	case "failed", "cancelled", "timeout":
		res["stdout_truncated"], res["stdout_bytes_truncated"] = false, 0
		res["stderr_truncated"], res["stderr_bytes_truncated"] = false, 0
	}
	if truncated {
		res["stdout_truncated"] = true
		res["stdout_bytes_truncated"] = truncatedSource - len(stdout) + len(TruncationNotice(StreamStdout))
	}
}

// logInfoOf builds the generator input from an execution's columns.
func logInfoOf(id int64, actionRef, status string, result json.RawMessage, timeout *int32, row logRow) logInfo {
	in := logInfo{exec: id, actionRef: actionRef, status: status, row: row}
	if timeout != nil {
		in.timeout = *timeout
	}
	var res struct {
		Error string `json:"error"`
	}
	if len(result) > 0 && json.Unmarshal(result, &res) == nil {
		in.errMsg = res.Error
	}
	return in
}
