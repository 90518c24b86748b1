-- Indexes for every list filter and the newest-first ordering. Applied after
-- the seed so that bulk inserts do not maintain them row by row.

CREATE INDEX rule_trigger ON rule ("trigger", ref);
CREATE INDEX rule_trigger_ref ON rule (trigger_ref, ref);
CREATE INDEX rule_pack_ref ON rule (pack_ref, ref);
CREATE INDEX rule_action_ref ON rule (action_ref, ref);
CREATE INDEX event_created ON event (created DESC, id DESC);
CREATE INDEX event_trigger ON event ("trigger", created DESC, id DESC);
CREATE INDEX event_trigger_ref ON event (trigger_ref, created DESC, id DESC);
CREATE INDEX event_rule_ref ON event (rule_ref, created DESC, id DESC);
CREATE INDEX event_source ON event (source, created DESC, id DESC);
CREATE INDEX event_trace_tag ON event (trace_tag, created DESC, id DESC);
CREATE INDEX enforcement_created ON enforcement (created DESC, id DESC);
CREATE INDEX enforcement_rule ON enforcement (rule, created DESC, id DESC);
CREATE INDEX enforcement_event ON enforcement (event, created DESC, id DESC);
CREATE INDEX enforcement_status ON enforcement (status, created DESC, id DESC);
CREATE INDEX enforcement_trigger_ref ON enforcement (trigger_ref, created DESC, id DESC);
CREATE INDEX enforcement_rule_ref ON enforcement (rule_ref, created DESC, id DESC);
CREATE INDEX enforcement_trace_tag ON enforcement (trace_tag, created DESC, id DESC);
CREATE INDEX execution_created ON execution (created DESC, id DESC);
CREATE INDEX execution_top_level ON execution (created DESC, id DESC) WHERE parent IS NULL;
CREATE INDEX execution_status ON execution (status, created DESC, id DESC);
CREATE INDEX execution_action_ref ON execution (action_ref, created DESC, id DESC);
CREATE INDEX execution_rule_ref ON execution (rule_ref, created DESC, id DESC);
CREATE INDEX execution_trigger_ref ON execution (trigger_ref, created DESC, id DESC);
CREATE INDEX execution_pack_name ON execution (pack_name, created DESC, id DESC);
CREATE INDEX execution_trace_tag ON execution (trace_tag, created DESC, id DESC);
CREATE INDEX execution_executor ON execution (executor, created DESC, id DESC);
CREATE INDEX execution_enforcement ON execution (enforcement, created DESC, id DESC);
CREATE INDEX execution_parent ON execution (parent, created DESC, id DESC);
