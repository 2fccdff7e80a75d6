// English (second language). Keys mirror zh-CN.ts.
export default {
  app: { name: 'Cunjing', demo: 'Demo' },
  nav: {
    dashboard: 'Home', roster: 'Roster', households: 'Households', residents: 'Residents', disputes: 'Disputes',
    patrols: 'Patrols', visits: 'Visits', search: 'Search', settings: 'Settings',
  },
  common: {
    add: 'New', edit: 'Edit', save: 'Save', cancel: 'Cancel', close: 'Close', void: 'Void', confirm: 'OK',
    yes: 'Yes', no: 'No', search: 'Search', reset: 'Reset', detail: 'Details', history: 'History', loading: 'Loading…',
    saved: 'Saved', voided: 'Voided', includeVoided: 'Include voided', from: 'From', to: 'To', to_sep: 'to',
    total: '{n} records', empty: 'No records', actions: 'Actions', required: 'Required', optional: 'Optional', today: 'Today',
    filterTitle: 'Filter by name or text', sort: 'Sort', remove: 'Remove', addItem: 'Add', noChange: 'Nothing changed',
    errorTitle: 'Please check', unknownError: 'The operation failed',
  },
  sort: { date_desc: 'Date, newest first', date_asc: 'Date, oldest first', updated_desc: 'Recently updated', title_asc: 'Title' },
  meta: { created_at: 'Recorded', created_by: 'Recorded by', updated_at: 'Last changed', version: 'Version', void_reason: 'Void reason' },
  void: {
    title: 'Void record', hint: 'A voided record is kept (like a struck-through line in a paper ledger).', reason: 'Reason',
    reasonPlaceholder: 'e.g. entered twice', done: 'Voided',
  },
  history: { create: 'Created', update: 'Updated', void: 'Voided', changed: 'Changed', reason: 'Reason', version: 'Version {v}' },
  setup: {
    title: 'First-run setup', intro: 'Enter the office and the officer. They appear on ledger headers and the wall display and can be changed later (except the office code).',
    office: 'Office', officer: 'Officer', station: 'Police station',
    code: 'Office code', codeHint: 'Letters, digits and hyphens, e.g. CYH-01; used in export file names; cannot change later',
    name: 'Office name', namePlaceholder: 'e.g. Cuiyuehu village police office', officerName: 'Officer name', policeNumber: 'Police number',
    officerPhone: 'Officer phone', stationName: 'Station name', stationPhone: 'Station 24-hour phone', submit: 'Finish setup',
  },
  dashboard: {
    title: 'Work in {month}', asOf: 'As of {date}', households: 'Households visited', keyPerson: 'Key-person visits',
    villageDays: 'Days in the village this week', week: '{from} – {to}', patrols: 'Patrols', patrolsOfficer: 'Officer-led/joined',
    patrolsVolunteer: 'Volunteer teams', disputes: 'Disputes', accepted: 'Accepted this month', resolved: 'Resolved this month',
    open: 'Open', followups: 'Follow-ups due', noFollowups: 'No follow-ups due', dueOn: 'Due by {date}',
    overdue: 'Overdue', visits: '{n} visits', talked: '{n} people talked to', done: 'Done', behind: '{n} to go',
    target: 'Target {n}', noTarget: 'No target', quick: 'Quick entry', newVisit: 'Log a visit', newPatrol: 'Log a patrol',
    newDispute: 'Register a dispute', month: 'Month',
  },
  settings: {
    title: 'Settings', office: 'Office', targets: 'Targets', targetsHint: "Defaults are the source document's: 30 households a month, 1 key-person visit a month, 3 days a week in the village, 8 volunteer patrols a month.",
    households_visited_per_month: 'Households visited per month', key_person_visits_per_month: 'Key-person visits per month',
    village_days_per_week: 'Days in the village per week', volunteer_patrols_per_month: 'Volunteer patrols per month',
    officer_patrols_per_month: 'Officer-led patrols per month (0 = none)', followup_due_days: 'Follow-up due (days after resolution)',
    database: 'Database file', language: 'Language',
  },
  search: { placeholder: 'Name, pinyin (wangfang), initials (wf), ID number, village', title: 'Search results', none: 'Nothing found for "{q}"', matched: 'Matched: {what}' },
  household: { pick: 'Choose a household on the roster', notOnRoster: 'Not on the roster (type head and address)', residents: 'Members', visits: 'Visits' },
  disputes: {
    workflow: 'Progress', changeStatus: 'Change status', addParty: 'Add party', addStep: 'Add mediation step', addFollowup: 'Add follow-up',
    parties: 'Parties', steps: 'Mediation steps', followups: 'Follow-ups',
  },
  fields: {
    households: {
      village: 'Village', group: 'Group', house_no: 'House no.', address_detail: 'Address', head_name: 'Head of household',
      phone: 'Phone', tags: 'Tags', notes: 'Notes',
    },
    residents: {
      household_id: 'Household', name: 'Name', former_name: 'Former name', sex: 'Sex', ethnicity: 'Ethnicity', birth_date: 'Birth date',
      id_number: 'ID number', category: 'Category', phone: 'Phone', relation_to_head: 'Relation to head', occupation: 'Occupation',
      stay_from: 'Staying from', stay_to: 'Staying until', foreign_nationality: 'Nationality', foreign_doc_type: 'Document type',
      foreign_doc_no: 'Document no.', notes: 'Notes',
    },
    disputes: {
      record_no: 'No.', status: 'Status', accepted_on: 'Accepted on', source: 'Source', dispute_type: 'Type',
      location: 'Location', parties: 'Parties', people_count: 'People involved', summary: 'Summary', risk_level: 'Risk level',
      escalation_flag: 'May escalate', mediators: 'Mediators', steps: 'Mediation steps', outcome_note: 'Outcome',
      referred_to: 'Referred to', agreement_form: 'Agreement', performance: 'Performance', closed_on: 'Closed on', followups: 'Follow-ups',
      name: 'Name', role: 'Role', sex: 'Sex', id_number: 'ID number', phone: 'Phone', address: 'Address',
      date: 'Date', content: 'Content', participants: 'Participants', method: 'Method', visitor: 'Visitor',
      satisfaction: 'Satisfaction', recurrence: 'Recurred',
    },
    patrols: {
      date: 'Date', start_time: 'Start', end_time: 'End', crosses_midnight: 'Across midnight', kind: 'Kind',
      mode: 'Mode', route: 'Route / area', leader: 'Led by', members: 'Members', headcount: 'Headcount',
      findings: 'Findings', checked_count: 'People checked', handling: 'Handling', arrests: 'Arrests', recorder: 'Recorded by',
    },
    visits: {
      date: 'Date', officer: 'Officer', household_id: 'Household', head_name: 'Head of household', address: 'Address', method: 'Method',
      purposes: 'Purposes', companions: 'Companions', people_talked: 'People talked to', concerns: 'Concerns raised',
      hazards: 'Hazards / leads', response: 'Response', satisfaction: 'Satisfaction',
    },
  },
}
