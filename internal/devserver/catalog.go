package devserver

// The static part of the seed: packs, sensors, triggers, actions and rules.
// It is the same for every seed value; only events and what follows from
// them are random. Ids are fixed so that goldens stay stable.

type packDef struct {
	id                 int64
	ref, label, descr  string
	version            string
	createdDaysBefore  int
	updatedHoursBefore int
}

type sensorDef struct {
	id                  int64
	ref, label, descr   string
	pack                int64
	entrypoint          string
	runtime             int64
	runtimeRef          string
	enabled             bool
	paramSchema         string
	workerSelector      string
	retentionPolicy     string
	retentionLimit      int32
	createdDaysBefore   int
	updatedHoursBefore  int
	logRetentionPolicy  string
	logRetentionLimit   int32
	workerTolerations   string
	workerAffinity      string
	descriptionNullable bool
}

type triggerDef struct {
	id                int64
	ref, label, descr string
	pack              int64
	sensor            int64 // 0 = webhook trigger without a sensor
	webhook           bool
	paramSchema       string // "" = null
	outSchema         string
	weight            int // relative share of seeded events
}

type actionDef struct {
	id                int64
	ref, label, descr string
	pack              int64
	timeout           int32
	workflow          bool
}

type ruleDef struct {
	id                int64
	ref, label, descr string // descr "" = null
	pack              int64
	action            int64
	trigger           int64
	conditions        string
	actionParams      string
	enabled           bool
	traceTemplate     string // "" = null
	permSets          string // "" = null
	createdDaysBefore int
	updatedHoursAgo   int
}

func packDefs() []packDef {
	return []packDef{
		{1, "core", "Core", "Built-in timers, webhooks and utility actions", "0.6.0", 90, 240},
		{2, "github", "GitHub", "React to GitHub webhooks: pushes and pull requests", "2.3.1", 60, 200},
		{3, "pagerduty", "PagerDuty", "PagerDuty incidents in and out", "1.4.0", 58, 190},
		{4, "slack", "Slack", "Slack messages and notifications", "3.0.2", 55, 150},
		{5, "kubernetes", "Kubernetes", "Watch pods and act on deployments", "1.9.0", 40, 100},
		{6, "aws", "AWS", "CloudWatch alarms, EC2 and SNS", "2.0.0", 30, 72},
	}
}

func sensorDefs() []sensorDef {
	return []sensorDef{
		{id: 1, ref: "core.timer_sensor", label: "Timer sensor", descr: "Emits interval and cron timer events", pack: 1,
			entrypoint: "builtin://timer", runtime: 1, runtimeRef: "core.builtin", enabled: true,
			workerSelector: `{}`, createdDaysBefore: 90, updatedHoursBefore: 240, workerTolerations: `[]`, workerAffinity: `{}`},
		{id: 2, ref: "slack.events_sensor", label: "Slack Events API sensor", descr: "Receives Slack Events API callbacks", pack: 4,
			entrypoint: "sensors/slack_events.py", runtime: 2, runtimeRef: "core.python", enabled: true,
			paramSchema:    `{"type":"object","properties":{"signing_secret":{"type":"string","secret":true}},"required":["signing_secret"]}`,
			workerSelector: `{"zone":"edge"}`, retentionPolicy: "versions", retentionLimit: 10,
			createdDaysBefore: 55, updatedHoursBefore: 150, logRetentionPolicy: "days", logRetentionLimit: 7,
			workerTolerations: `[{"key":"dedicated","operator":"equal","value":"sensors","effect":"no_schedule"}]`, workerAffinity: `{}`},
		{id: 3, ref: "kubernetes.watch_sensor", label: "Pod watcher", descr: "Watches pod events in every namespace", pack: 5,
			entrypoint: "sensors/watch.py", runtime: 2, runtimeRef: "core.python", enabled: true,
			paramSchema:    `{"type":"object","properties":{"kubeconfig":{"type":"string"},"namespaces":{"type":"array","items":{"type":"string"}}}}`,
			workerSelector: `{"cluster":"prod-eu-1"}`, createdDaysBefore: 40, updatedHoursBefore: 100, workerTolerations: `[]`,
			workerAffinity: `{"required":[{"match_expressions":[{"key":"arch","operator":"in","values":["amd64"]}]}]}`},
		{id: 4, ref: "aws.cloudwatch_poller", label: "CloudWatch alarm poller", descr: "", pack: 6,
			entrypoint: "sensors/cloudwatch.py", runtime: 2, runtimeRef: "core.python", enabled: true,
			workerSelector: `{}`, createdDaysBefore: 30, updatedHoursBefore: 72, workerTolerations: `[]`, workerAffinity: `{}`,
			descriptionNullable: true},
	}
}

func triggerDefs() []triggerDef {
	return []triggerDef{
		{1, "core.intervaltimer", "Interval timer", "Fires every N seconds", 1, 1, false,
			`{"type":"object","properties":{"unit":{"type":"string","enum":["seconds","minutes","hours"]},"delta":{"type":"integer","minimum":1}},"required":["unit","delta"]}`,
			`{"type":"object","properties":{"type":{"type":"string"},"interval_seconds":{"type":"integer"},"fired_at":{"type":"string","format":"date-time"},"execution_count":{"type":"integer"}}}`, 22},
		{2, "core.crontimer", "Cron timer", "Fires on a cron schedule", 1, 1, false,
			`{"type":"object","properties":{"expression":{"type":"string"},"timezone":{"type":"string"}},"required":["expression"]}`,
			`{"type":"object","properties":{"type":{"type":"string"},"expression":{"type":"string"},"fired_at":{"type":"string","format":"date-time"}}}`, 3},
		{3, "core.webhook", "Generic webhook", "Fires for every POST to the webhook URL", 1, 0, true, "",
			`{"type":"object","properties":{"headers":{"type":"object"},"body":{"type":"object"},"method":{"type":"string"}}}`, 7},
		{4, "github.push", "Push", "A branch or tag was pushed", 2, 0, true, "",
			`{"type":"object","properties":{"ref":{"type":"string"},"repository":{"type":"object"},"pusher":{"type":"object"},"commits":{"type":"array"},"head_commit":{"type":"object"}}}`, 12},
		{5, "github.pull_request", "Pull request", "A pull request was opened, closed or updated", 2, 0, true, "",
			`{"type":"object","properties":{"action":{"type":"string"},"number":{"type":"integer"},"pull_request":{"type":"object"},"repository":{"type":"object"}}}`, 8},
		{6, "pagerduty.incident_triggered", "Incident triggered", "PagerDuty V3 webhook: incident.triggered", 3, 0, true, "",
			`{"type":"object","properties":{"event_type":{"type":"string"},"incident":{"type":"object"}}}`, 8},
		{7, "slack.message", "Message", "A message was posted in a watched channel", 4, 2, false,
			`{"type":"object","properties":{"channels":{"type":"array","items":{"type":"string"}}}}`,
			`{"type":"object","properties":{"channel":{"type":"string"},"user":{"type":"string"},"text":{"type":"string"},"ts":{"type":"string"}}}`, 12},
		{8, "kubernetes.pod_event", "Pod event", "A pod changed state", 5, 3, false,
			`{"type":"object","properties":{"namespaces":{"type":"array","items":{"type":"string"}}}}`,
			`{"type":"object","properties":{"namespace":{"type":"string"},"pod":{"type":"string"},"reason":{"type":"string"},"restart_count":{"type":"integer"}}}`, 16},
		{9, "aws.cloudwatch_alarm", "CloudWatch alarm", "A CloudWatch alarm changed state", 6, 4, false,
			`{"type":"object","properties":{"region":{"type":"string"}}}`,
			`{"type":"object","properties":{"alarm":{"type":"object"},"region":{"type":"string"},"account":{"type":"string"}}}`, 12},
	}
}

func actionDefs() []actionDef {
	return []actionDef{
		{1, "core.echo", "Echo", "Print a message", 1, 60, false},
		{2, "core.local", "Local command", "Run a shell command on the worker", 1, 600, false},
		{3, "core.http_request", "HTTP request", "Send an HTTP request", 1, 120, false},
		{4, "core.remediate", "Remediate incident", "Workflow: diagnose, restart, notify", 1, 1800, true},
		{5, "github.add_comment", "Add comment", "Comment on a commit or pull request", 2, 60, false},
		{6, "github.create_issue", "Create issue", "Open a GitHub issue", 2, 60, false},
		{7, "pagerduty.trigger_incident", "Trigger incident", "Open a PagerDuty incident", 3, 300, false},
		{8, "pagerduty.resolve_incident", "Resolve incident", "Resolve a PagerDuty incident", 3, 300, false},
		{9, "slack.post_message", "Post message", "Post a message to a channel", 4, 30, false},
		{10, "kubernetes.restart_deployment", "Restart deployment", "Rollout-restart a deployment", 5, 600, false},
		{11, "kubernetes.scale", "Scale deployment", "Change a deployment's replica count", 5, 300, false},
		{12, "aws.ec2_reboot", "Reboot EC2 instance", "Reboot an instance", 6, 900, false},
		{13, "aws.notify_sns", "Publish to SNS", "Publish a message to an SNS topic", 6, 30, false},
	}
}

func ruleDefs() []ruleDef {
	return []ruleDef{
		{1, "core.heartbeat_echo", "Heartbeat", "Echo on every interval tick", 1, 1, 1, `{}`,
			`{"message":"heartbeat from {{ event.trigger }} #{{ event.payload.execution_count }}"}`, true, "", "", 90, 2000},
		{2, "core.nightly_cleanup", "Nightly cleanup", "Prune temp files at 03:00", 1, 2, 2, `null`,
			`{"cmd":"find /tmp -mtime +1 -delete","cwd":"/"}`, true, "", "[]", 88, 1900},
		{3, "core.webhook_forward", "Forward webhooks", "", 1, 3, 3, `{}`,
			`{"url":"https://hooks.internal.example/ingest","method":"POST","body":"{{ event.payload.body }}"}`, true, "", "", 80, 1500},
		{4, "github.comment_on_main_push", "Comment on pushes to main", "Posts a build link on every push to main", 2, 5, 4,
			`[{"field":"ref","operator":"equals","value":"refs/heads/main"}]`,
			`{"repo":"{{ event.payload.repository.full_name }}","sha":"{{ event.payload.after }}","body":"Build started"}`, true, "", "", 60, 1200},
		{5, "github.release_notes", "Draft release notes", "Drafts notes when a tag is pushed", 2, 6, 4,
			`{"expression":"{{ starts_with(event.payload.ref, \"refs/tags/\") }}"}`,
			`{"repo":"{{ event.payload.repository.full_name }}","title":"Release {{ event.payload.ref }}"}`, true, "", "", 60, 1100},
		{6, "github.triage_new_prs", "Triage new pull requests", "Announces opened, non-draft pull requests", 2, 9, 5,
			`{"expression":"{{ event.payload.action == \"opened\" and not event.payload.pull_request.draft }}"}`,
			`{"channel":"#reviews","text":"New PR: {{ event.payload.pull_request.title }}"}`, true, "{{ event.trigger }}.{{ event.id }}", "", 58, 900},
		{7, "github.flag_security_prs", "Flag security pull requests", "", 2, 6, 5,
			`[{"field":"action","operator":"equals","value":"opened"},{"field":"pull_request.title","operator":"contains","value":"security"}]`,
			`{"repo":"{{ event.payload.repository.full_name }}","title":"Security review: {{ event.payload.pull_request.title }}"}`, false, "", "", 50, 300},
		{8, "pagerduty.remediate_critical", "Remediate critical incidents", "Runs the remediation workflow for high-urgency checkout/payments incidents", 3, 4, 6,
			`{"expression":"{{ event.payload.incident.urgency == \"high\" and event.payload.incident.service.name in [\"checkout\", \"payments\"] }}"}`,
			`{"incident":"{{ event.payload.incident.id }}","service":"{{ event.payload.incident.service.name }}"}`, true, "", `["ops.remediators"]`, 58, 700},
		{9, "pagerduty.notify_slack", "Announce incidents in Slack", "Posts every triggered incident to #incidents", 3, 9, 6,
			`[{"field":"event_type","operator":"equals","value":"incident.triggered"}]`,
			`{"channel":"#incidents","text":"{{ event.payload.incident.title }}"}`, true, "", "", 57, 650},
		{10, "slack.ack_oncall_mentions", "Acknowledge @oncall mentions", "Replies when someone mentions @oncall", 4, 9, 7,
			`{"expression":"{{ \"@oncall\" in event.payload.text }}"}`,
			`{"channel":"{{ event.payload.channel }}","text":"On-call has been notified 👀"}`, true, "", "", 54, 500},
		{11, "slack.echo_everything", "Echo every message", "Debug rule, left disabled", 4, 1, 7, `[]`,
			`{"message":"{{ event.payload.text }}"}`, false, "", "", 54, 480},
		{12, "kubernetes.restart_crashloop", "Restart crash-looping deployments", "Outside kube-system only", 5, 10, 8,
			`[{"field":"reason","operator":"equals","value":"CrashLoopBackOff"},{"field":"namespace","operator":"not_equals","value":"kube-system"}]`,
			`{"namespace":"{{ event.payload.namespace }}","deployment":"{{ event.payload.deployment }}"}`, true, "", "", 40, 240},
		{13, "kubernetes.scale_on_oom", "Scale up after repeated OOM kills", "", 5, 11, 8,
			`{"expression":"{{ event.payload.reason == \"OOMKilled\" and event.payload.restart_count >= 3 }}"}`,
			`{"namespace":"{{ event.payload.namespace }}","deployment":"{{ event.payload.deployment }}","replicas":4}`, true, "", "", 39, 200},
		{14, "aws.reboot_failed_status_checks", "Reboot on failed status checks", "Reboots instances whose status check alarm fires", 6, 12, 9,
			`{"expression":"{{ event.payload.alarm.new_state == \"ALARM\" and event.payload.alarm.metric == \"StatusCheckFailed\" }}"}`,
			`{"instance_id":"{{ event.payload.alarm.dimensions.InstanceId }}","region":"{{ event.payload.region }}"}`, true, "", "", 30, 70},
		{15, "aws.notify_alarms", "Publish alarms to SNS", "Every alarm entering ALARM", 6, 13, 9,
			`[{"field":"alarm.new_state","operator":"equals","value":"ALARM"}]`,
			`{"topic":"arn:aws:sns:eu-west-1:123456789012:alarms","message":"{{ event.payload.alarm.name }} is {{ event.payload.alarm.new_state }}"}`, true, "", "", 30, 68},
		{16, "aws.legacy_jsonlogic", "Legacy JSON-Logic rule", "Imported from an old system; this shape never matches", 6, 13, 9,
			`{"and":[{"==":[{"var":"alarm.new_state"},"ALARM"]}]}`,
			`{"topic":"arn:aws:sns:eu-west-1:123456789012:legacy","message":"legacy"}`, true, "", "", 29, 60},
	}
}
