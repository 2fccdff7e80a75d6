// 简体中文（默认）。Field labels follow the data dictionary's 中文 column.
export default {
  app: { name: '村警台账', demo: '演示' },
  nav: {
    dashboard: '首页', roster: '实有人口', households: '住户', residents: '人员', disputes: '纠纷调处',
    patrols: '巡逻登记', visits: '入户走访', search: '查找', settings: '设置',
  },
  common: {
    add: '新增', edit: '修改', save: '保存', cancel: '取消', close: '关闭', void: '作废', confirm: '确定',
    yes: '是', no: '否', search: '查找', reset: '重置', detail: '详情', history: '修改记录', loading: '正在加载…',
    saved: '已保存', voided: '已作废', includeVoided: '含已作废', from: '开始日期', to: '结束日期', to_sep: '至',
    total: '共 {n} 条', empty: '暂无记录', actions: '操作', required: '必填', optional: '选填', today: '今天',
    filterTitle: '按名称/内容筛选', sort: '排序', remove: '删除此项', addItem: '添加', noChange: '内容没有变化',
    errorTitle: '请检查以下内容', unknownError: '操作失败',
  },
  sort: { date_desc: '日期（新→旧）', date_asc: '日期（旧→新）', updated_desc: '最近修改', title_asc: '名称' },
  meta: { created_at: '登记时间', created_by: '登记人', updated_at: '最后修改', version: '版本', void_reason: '作废原因' },
  void: {
    title: '作废记录', hint: '作废后记录仍保留（如纸质台账划线更正），可在「含已作废」中查看。', reason: '作废原因',
    reasonPlaceholder: '如：重复录入、登记错误', done: '已作废',
  },
  history: { create: '新建', update: '修改', void: '作废', changed: '改动', reason: '原因', version: '第 {v} 版' },
  setup: {
    title: '首次设置', intro: '请填写警务室和责任民警的信息。这些信息用于台账页眉和警务公开栏，以后可在「设置」中修改（警务室代码除外）。',
    office: '警务室', officer: '责任民警', station: '所属派出所',
    code: '警务室代码', codeHint: '字母、数字和连字符，如 CYH-01；用于导出文件名，建立后不能修改',
    name: '警务室名称', namePlaceholder: '如：翠月湖村警务室', officerName: '民警姓名', policeNumber: '警号',
    officerPhone: '民警电话', stationName: '派出所名称', stationPhone: '派出所 24 小时电话', submit: '完成设置',
  },
  dashboard: {
    title: '{month}工作情况', asOf: '截至 {date}', households: '走访户数', keyPerson: '重点对象走访',
    villageDays: '本周驻村天数', week: '{from}—{to}', patrols: '巡逻', patrolsOfficer: '民警带队/参加',
    patrolsVolunteer: '群防群治自行巡逻', disputes: '纠纷调处', accepted: '本月受理', resolved: '本月调解成功',
    open: '未结（受理/调解中）', followups: '待回访', noFollowups: '没有待回访的纠纷', dueOn: '应于 {date} 前回访',
    overdue: '已逾期', visits: '走访 {n} 次', talked: '谈心 {n} 人', done: '已完成', behind: '还差 {n}',
    target: '目标 {n}', noTarget: '未设目标', quick: '快速登记', newVisit: '登记走访', newPatrol: '登记巡逻',
    newDispute: '登记纠纷', month: '月份',
  },
  settings: {
    title: '设置', office: '警务室信息', targets: '工作目标', targetsHint: '默认值取自原文：每月走访 30 户、每月 1 次重点对象走访、每周驻村 3 天、群防群治队伍每月巡逻 8 次。',
    households_visited_per_month: '每月走访户数', key_person_visits_per_month: '每月重点对象走访次数',
    village_days_per_week: '每周驻村天数', volunteer_patrols_per_month: '每月群防群治自行巡逻次数',
    officer_patrols_per_month: '每月民警带队巡逻次数（0 为不设）', followup_due_days: '调解成功后回访期限（天）',
    database: '数据库文件', language: '界面语言',
  },
  search: { placeholder: '姓名、拼音（wangfang）、首字母（wf）、证件号码、村名', title: '查找结果', none: '没有找到「{q}」', matched: '匹配：{what}' },
  household: { pick: '选择花名册上的户', notOnRoster: '不在花名册上（手工填写户主和住址）', residents: '家庭成员', visits: '走访记录' },
  disputes: {
    workflow: '办理进度', changeStatus: '变更状态', addParty: '添加当事人', addStep: '添加调处经过', addFollowup: '添加回访',
    parties: '当事人', steps: '调处经过', followups: '回访',
  },
  fields: {
    households: {
      village: '行政村', group: '村民小组', house_no: '门牌号', address_detail: '详细地址', head_name: '户主',
      phone: '联系电话', tags: '户类别', notes: '备注',
    },
    residents: {
      household_id: '所属户', name: '姓名', former_name: '曾用名', sex: '性别', ethnicity: '民族', birth_date: '出生日期',
      id_number: '公民身份号码', category: '人员类别', phone: '联系电话', relation_to_head: '与户主关系', occupation: '职业',
      stay_from: '居住起始日期', stay_to: '居住截止日期', foreign_nationality: '国籍', foreign_doc_type: '证件种类',
      foreign_doc_no: '证件号码', notes: '备注',
    },
    disputes: {
      record_no: '编号', status: '状态', accepted_on: '受理日期', source: '纠纷来源', dispute_type: '纠纷类型',
      location: '发生地点', parties: '当事人', people_count: '涉及人数', summary: '简要情况', risk_level: '风险等级',
      escalation_flag: '可能激化/群体性苗头', mediators: '调处人员', steps: '调处经过', outcome_note: '调处结果说明',
      referred_to: '移交单位', agreement_form: '协议形式', performance: '履行情况', closed_on: '结案日期', followups: '回访',
      name: '姓名', role: '当事人身份', sex: '性别', id_number: '公民身份号码', phone: '联系电话', address: '住址',
      date: '日期', content: '内容', participants: '参加人员', method: '回访方式', visitor: '回访人',
      satisfaction: '满意度', recurrence: '是否反复',
    },
    patrols: {
      date: '日期', start_time: '开始时间', end_time: '结束时间', crosses_midnight: '跨夜巡逻', kind: '巡逻类型',
      mode: '巡逻方式', route: '路线/区域/重点部位', leader: '带队民警', members: '参加人员', headcount: '人数',
      findings: '发现情况', checked_count: '盘查人数', handling: '处置情况', arrests: '抓获嫌疑人数', recorder: '记录人',
    },
    visits: {
      date: '日期', officer: '民警', household_id: '走访户', head_name: '户主姓名', address: '住址', method: '走访方式',
      purposes: '走访内容', companions: '陪同人员', people_talked: '谈心人数', concerns: '群众反映问题/诉求',
      hazards: '发现隐患/线索', response: '答复/处理', satisfaction: '满意度',
    },
  },
}
