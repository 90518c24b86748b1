-- Indexes for every list filter and the newest-first ordering. Applied after
-- the seed so that bulk inserts do not maintain them row by row.
--
-- The *_cover indexes end with the table's other low-selectivity filter
-- columns: with two filters (say rule_ref and source) SQLite walks one
-- filter's range and checks the other on the index entry, reading a table
-- row only for a match, so an empty combination costs an index-only scan of
-- the smaller range instead of a table lookup per row. Near-unique filters
-- (trace_tag, event, enforcement, parent) keep plain indexes: their ranges
-- are tiny.

CREATE INDEX rule_trigger ON rule ("trigger", ref);
CREATE INDEX rule_trigger_ref ON rule (trigger_ref, ref);
CREATE INDEX rule_pack_ref ON rule (pack_ref, ref);
CREATE INDEX rule_action_ref ON rule (action_ref, ref);
CREATE INDEX event_created ON event (created DESC, id DESC);
CREATE INDEX event_trigger_cover ON event ("trigger", created DESC, id DESC, trigger_ref, source, rule_ref);
CREATE INDEX event_trigger_ref_cover ON event (trigger_ref, created DESC, id DESC, "trigger", source, rule_ref);
CREATE INDEX event_rule_ref_cover ON event (rule_ref, created DESC, id DESC, "trigger", trigger_ref, source);
CREATE INDEX event_source_cover ON event (source, created DESC, id DESC, "trigger", trigger_ref, rule_ref);
CREATE INDEX event_trace_tag ON event (trace_tag, created DESC, id DESC);
CREATE INDEX enforcement_created ON enforcement (created DESC, id DESC);
CREATE INDEX enforcement_rule_cover ON enforcement (rule, created DESC, id DESC, status, trigger_ref, rule_ref);
CREATE INDEX enforcement_event ON enforcement (event, created DESC, id DESC);
CREATE INDEX enforcement_status_cover ON enforcement (status, created DESC, id DESC, rule, trigger_ref, rule_ref);
CREATE INDEX enforcement_trigger_ref_cover ON enforcement (trigger_ref, created DESC, id DESC, rule, status, rule_ref);
CREATE INDEX enforcement_rule_ref_cover ON enforcement (rule_ref, created DESC, id DESC, rule, status, trigger_ref);
CREATE INDEX enforcement_trace_tag ON enforcement (trace_tag, created DESC, id DESC);
CREATE INDEX execution_created ON execution (created DESC, id DESC);
CREATE INDEX execution_top_level ON execution (created DESC, id DESC) WHERE parent IS NULL;
CREATE INDEX execution_status_cover ON execution (status, created DESC, id DESC, action_ref, rule_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX execution_action_ref_cover ON execution (action_ref, created DESC, id DESC, status, rule_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX execution_rule_ref_cover ON execution (rule_ref, created DESC, id DESC, status, action_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX execution_trigger_ref_cover ON execution (trigger_ref, created DESC, id DESC, status, action_ref, rule_ref, pack_name, executor, parent);
CREATE INDEX execution_pack_name_cover ON execution (pack_name, created DESC, id DESC, status, action_ref, rule_ref, trigger_ref, executor, parent);
CREATE INDEX execution_trace_tag ON execution (trace_tag, created DESC, id DESC);
CREATE INDEX execution_executor_cover ON execution (executor, created DESC, id DESC, status, action_ref, rule_ref, trigger_ref, pack_name, parent);
CREATE INDEX execution_enforcement ON execution (enforcement, created DESC, id DESC);
CREATE INDEX execution_parent ON execution (parent, created DESC, id DESC);
