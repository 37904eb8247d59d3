-- The records each alert was raised on (and was carried to), one row each, so that an evaluation
-- finds the alerts held about a family's records through an ordinary index (this is how an alert
-- is found again after a merge or an unmerge). The same list stays on the alert, for display.
create table alert_records (
  partnership_id uuid not null references partnerships (id),
  alert_id uuid not null references alerts (id),
  record_key text not null,
  primary key (alert_id, record_key)
);
create index alert_records_record on alert_records (partnership_id, record_key);

insert into alert_records (partnership_id, alert_id, record_key)
  select a.partnership_id, a.id, r.record_key
    from alerts a
    cross join lateral jsonb_array_elements_text(a.subject_records) as r (record_key)
  on conflict do nothing;

-- Alerts about an unborn baby are found by the baby as well as by the mother.
create index alerts_unborn on alerts (partnership_id, unborn_person_id) where unborn_person_id is not null;
