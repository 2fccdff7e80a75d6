-- The dashboard's "as of today" figures read a register's current state, not a month: open
-- disputes, resolved disputes awaiting their follow-up, work-log follow-ups due, active
-- pairings. Without these partial expression indexes each read the JSON of every record of its
-- register (≈ 150 ms together at 6,000 households; issue 6). The queries name the index
-- (INDEXED BY) so that the plan does not depend on statistics.
CREATE INDEX records_dispute_status ON records (json_extract(data, '$.status')) WHERE register = 'disputes';
CREATE INDEX records_work_followups ON records (json_extract(data, '$.follow_up_due'))
    WHERE register = 'work_log' AND json_extract(data, '$.follow_up_done') = 0;
CREATE INDEX records_service_kind ON records (json_extract(data, '$.kind')) WHERE register = 'services';
