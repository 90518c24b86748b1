-- Upgrades a database built with the first 0002 (plain filter indexes) to the
-- *_cover indexes 0002 now creates. A database indexed by the current 0002
-- already has them, and this is a no-op there.

DROP INDEX IF EXISTS event_trigger;
DROP INDEX IF EXISTS event_trigger_ref;
DROP INDEX IF EXISTS event_source;
DROP INDEX IF EXISTS event_rule_ref;
DROP INDEX IF EXISTS enforcement_rule;
DROP INDEX IF EXISTS enforcement_status;
DROP INDEX IF EXISTS enforcement_trigger_ref;
DROP INDEX IF EXISTS enforcement_rule_ref;
DROP INDEX IF EXISTS execution_status;
DROP INDEX IF EXISTS execution_action_ref;
DROP INDEX IF EXISTS execution_rule_ref;
DROP INDEX IF EXISTS execution_trigger_ref;
DROP INDEX IF EXISTS execution_pack_name;
DROP INDEX IF EXISTS execution_executor;
CREATE INDEX IF NOT EXISTS event_trigger_cover ON event ("trigger", created DESC, id DESC, trigger_ref, source, rule_ref);
CREATE INDEX IF NOT EXISTS event_trigger_ref_cover ON event (trigger_ref, created DESC, id DESC, "trigger", source, rule_ref);
CREATE INDEX IF NOT EXISTS event_source_cover ON event (source, created DESC, id DESC, "trigger", trigger_ref, rule_ref);
CREATE INDEX IF NOT EXISTS event_rule_ref_cover ON event (rule_ref, created DESC, id DESC, "trigger", trigger_ref, source);
CREATE INDEX IF NOT EXISTS enforcement_rule_cover ON enforcement (rule, created DESC, id DESC, status, trigger_ref, rule_ref);
CREATE INDEX IF NOT EXISTS enforcement_status_cover ON enforcement (status, created DESC, id DESC, rule, trigger_ref, rule_ref);
CREATE INDEX IF NOT EXISTS enforcement_trigger_ref_cover ON enforcement (trigger_ref, created DESC, id DESC, rule, status, rule_ref);
CREATE INDEX IF NOT EXISTS enforcement_rule_ref_cover ON enforcement (rule_ref, created DESC, id DESC, rule, status, trigger_ref);
CREATE INDEX IF NOT EXISTS execution_status_cover ON execution (status, created DESC, id DESC, action_ref, rule_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX IF NOT EXISTS execution_action_ref_cover ON execution (action_ref, created DESC, id DESC, status, rule_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX IF NOT EXISTS execution_rule_ref_cover ON execution (rule_ref, created DESC, id DESC, status, action_ref, trigger_ref, pack_name, executor, parent);
CREATE INDEX IF NOT EXISTS execution_trigger_ref_cover ON execution (trigger_ref, created DESC, id DESC, status, action_ref, rule_ref, pack_name, executor, parent);
CREATE INDEX IF NOT EXISTS execution_pack_name_cover ON execution (pack_name, created DESC, id DESC, status, action_ref, rule_ref, trigger_ref, executor, parent);
CREATE INDEX IF NOT EXISTS execution_executor_cover ON execution (executor, created DESC, id DESC, status, action_ref, rule_ref, trigger_ref, pack_name, parent);
