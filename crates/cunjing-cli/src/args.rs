//! The command line, as clap reads it. Help is Chinese first, English second.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::store::ListSort;
use cunjing_core::validate::fields::parse_date;
use cunjing_core::{ErrorCode, FieldError};

use crate::Failure;

#[derive(Parser)]
#[command(
    name = "cunjing",
    version,
    about = "村警台账 — 农村警务室台账（命令行）\nCunjing — village police office registers (command line)",
    after_help = "台账 registers: households 户 · residents 实有人口 · disputes 纠纷调处 · patrols 巡逻 · visits 入户走访\n\
                  退出码 exit codes: 0 成功 ok · 2 输入有误 invalid input (stderr: code field message) · 1 其他错误 other failure"
)]
pub struct Cli {
    /// 数据库文件（默认：系统用户数据目录下的 office.db）/ database file
    #[arg(long, global = true, env = "CUNJING_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 建立警务室数据库（不会覆盖已有的）/ create the office database
    Init {
        /// 警务室名称，如「翠月湖村警务室」
        #[arg(long)]
        office_name: String,
        /// 警务室代码（字母、数字、连字符）
        #[arg(long)]
        office_code: String,
        /// 责任民警姓名
        #[arg(long)]
        officer: String,
        /// 警号
        #[arg(long)]
        police_number: Option<String>,
        /// 民警电话
        #[arg(long)]
        officer_phone: Option<String>,
        /// 所属派出所
        #[arg(long)]
        station_name: Option<String>,
        /// 派出所 24 小时电话
        #[arg(long)]
        station_phone: Option<String>,
    },
    /// 新增一条记录（JSON，来自 --json 或标准输入），输出记录编号 / add a record
    Add {
        /// 台账：households residents disputes patrols visits teams team_members work_log meetings services notices intel key_persons surveys
        register: String,
        /// 记录内容（JSON 对象，字段名见数据字典）
        #[arg(long)]
        json: Option<String>,
    },
    /// 修改记录（只需给出要改的字段；null 清空）/ partial update
    Update {
        register: String,
        id: String,
        #[arg(long)]
        json: Option<String>,
    },
    /// 作废记录（须说明原因；记录不会删除）/ void a record with a reason
    Void {
        register: String,
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// 查看一条记录 / show one record
    Show {
        register: String,
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// 列出台账记录 / list a register
    List {
        register: String,
        #[arg(long)]
        json: bool,
        /// 包括已作废的记录
        #[arg(long)]
        include_voided: bool,
        /// 起始日期 YYYY-MM-DD（含）
        #[arg(long)]
        from: Option<String>,
        /// 截止日期 YYYY-MM-DD（含）
        #[arg(long)]
        to: Option<String>,
        /// 只列某户（户的记录编号）的记录
        #[arg(long)]
        household: Option<String>,
        /// 排序：date_desc | date_asc | updated_desc | title_asc
        #[arg(long, default_value = "date_desc")]
        sort: String,
        /// 每页条数（1–1000）
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// 跳过前若干条
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// 查看记录的修改历史 / a record's audit history
    History {
        register: String,
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// 按姓名、拼音、首字母、证件号码片段或地点查找 / search
    Search {
        text: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        include_voided: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// 显示本警务室信息 / show the office
    Office {
        #[arg(long)]
        json: bool,
    },
    /// 列出各字段可选的代码及中文名称 / the code lists (choices) of every field
    Codes {
        #[arg(long)]
        json: bool,
    },
    /// 本月工作目标完成情况（首页）/ this month's figures against the targets
    Dashboard {
        /// 月份 YYYY-MM（默认本月）
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 生成演示数据：新建（或填入空的）警务室数据库 / fill a new or empty database with demo data
    ///
    /// 数据是虚构的，但符合各台账的校验规则；同一种子、同一天生成相同的数据。
    /// 已有记录的数据库会被拒绝（退出码 1）。
    Demo {
        /// 户数（约每 500 户一名民警/辅警，每户约 3.3 人）
        #[arg(long, default_value_t = 6000)]
        households: usize,
        /// 年数（到今天为止）
        #[arg(long, default_value_t = 10)]
        years: u32,
        /// 随机种子 / seed
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// 建演示汇总站：生成 K 个演示警务室，登记、导出数据包并全部导入 / build a demo county station
        #[arg(long, requires = "offices")]
        station: bool,
        /// 汇总站的警务室数（与 --station 同用；每个警务室的规模由 --households/--years 定）
        #[arg(long, value_name = "K", requires = "station")]
        offices: Option<usize>,
        /// 演示汇总站数据库（默认：--db 所在文件夹下的 demo-station.db）；各警务室数据库和数据包放在它旁边的 <名称>-offices/ 文件夹
        #[arg(long, value_name = "PATH", requires = "station")]
        station_db: Option<PathBuf>,
        /// 保留各演示警务室的数据库（默认导出数据包后删除：大警务室每个约 650 MB）
        #[arg(long, requires = "station")]
        keep_offices: bool,
    },
    /// 导入派出所（汇总站）发来的登记文件，生成本警务室的签名密钥和公钥文件 / import the station's enrollment file
    Enroll {
        /// 登记文件（.cje）
        file: PathBuf,
        /// 公钥文件写到这里（默认：登记文件所在文件夹下的 <警务室代码>.cjk）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 把自上次导出以来的变更导出为数据包（签名并加密给汇总站），输出数据包路径 / export a bundle to a folder (USB stick)
    Export {
        /// 目标文件夹（通常是 U 盘）
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// 导出全部记录 / every record
        #[arg(long, conflicts_with = "unconfirmed")]
        full: bool,
        /// 导出汇总站尚未入库确认的全部记录（U 盘丢失后）/ everything not yet confirmed by receipt
        #[arg(long)]
        unconfirmed: bool,
        #[arg(long)]
        json: bool,
    },
    /// 同步状态：登记、上次导出、待导出和未确认的记录 / sync status of this office
    SyncStatus {
        #[arg(long)]
        json: bool,
    },
    /// 回执（汇总站入库确认）/ receipts from the station
    Receipt {
        #[command(subcommand)]
        command: ReceiptCommand,
    },
    /// 数据包 / bundles
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// 汇总站（派出所/县局）：密钥、登记、导入、回执 / the county station
    Station {
        /// 汇总站数据库（默认：系统用户数据目录下的 station.db）/ station database
        #[arg(long, global = true, env = "CUNJING_STATION_DB", value_name = "PATH")]
        station_db: Option<PathBuf>,
        #[command(subcommand)]
        command: StationCommand,
    },
    /// 打印：登记簿、警务公开栏、考评表（PDF）/ print ledgers, the wall display, the report as PDF
    Print {
        #[command(subcommand)]
        command: crate::print_cmd::PrintCommand,
    },
    /// 考评：按五项标准（熟悉辖区程度、信息收集情况、辖区治安状况、见警率、满意率）计分 / the periodic assessment
    ///
    /// 计算方法见 docs/assessment.md。进行中的考评期统计到今天，目标按已过天数折算。
    Assessment {
        /// 考评期：2026-Q4（季度）、2026-H2（半年）、2026（全年）、2026-11（月）；默认本季度
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 从 Excel/WPS 表格（.xlsx/.xls/.et）或 CSV（UTF-8 或 GBK）导入台账；每行与手工录入同样校验 / import a register from a spreadsheet
    ///
    /// 可导入的行在一个事务中写入；未通过的行逐行列出（行号、列、原因）。同一文件再次导入不会重复。
    /// 退出码：0 全部导入（或已有）；2 有未通过的行（其余已导入，--dry-run 时都未写入）。
    ImportTable {
        /// households | residents | disputes | patrols | visits …
        register: String,
        /// 表格文件（.xlsx .xls .et .ods .csv）
        file: PathBuf,
        /// 只检查，不写入 / check only, write nothing
        #[arg(long)]
        dry_run: bool,
        /// 列对应文件（JSON）：{"columns": {"走访日期": "date", "备注": null}}
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// 把本次使用的列对应保存到此文件，供下次 --mapping 使用
        #[arg(long, value_name = "FILE")]
        save_mapping: Option<PathBuf>,
        /// 把未通过的行（原样，加原行号和错误原因）写到此表格（.xlsx 或 .csv），改正后可再导入
        #[arg(long, value_name = "FILE")]
        refused_out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 导出台账到 Excel（.xlsx，中文表头、日期格式、冻结表头）或 CSV（带 BOM）/ export a register to a spreadsheet
    ExportTable {
        register: String,
        /// 输出文件（.xlsx 或 .csv）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 起始日期 YYYY-MM-DD（含）
        #[arg(long)]
        from: Option<String>,
        /// 截止日期 YYYY-MM-DD（含）
        #[arg(long)]
        to: Option<String>,
        /// 只导出按此文字查找到的记录（姓名、拼音、证件号码片段、村名）
        #[arg(long)]
        search: Option<String>,
        /// 确认导出受限台账（重点对象）；文件须妥善保管
        #[arg(long)]
        restricted: bool,
        #[arg(long)]
        json: bool,
    },
    /// 检查数据库：完整性、修改留痕链、记录与留痕是否相符、备份情况 / check integrity, audit chain, backups
    ///
    /// 有问题时退出码为 1。
    Check {
        #[arg(long)]
        json: bool,
    },
    /// 备份数据库（校验后才保存）；不加 --out 时存入数据库旁的 backups/ 并自动轮换 / verified backup
    Backup {
        /// 备份到这个文件夹（如 U 盘）
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 用备份文件替换 --db 指定的数据库（先校验备份；原数据库改名保留）/ restore from a backup
    ///
    /// 恢复前请关闭正在使用该数据库的程序。
    Restore {
        /// 备份文件（.db）
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// （测试用）不断保存记录，每保存成功一条输出 `ok <编号>`，供断电测试强行终止
    #[command(hide = true)]
    StressWrite {
        #[arg(long)]
        count: Option<usize>,
    },
    /// 更改口令（数据无需重新加密）；原口令取自 CUNJING_PASSPHRASE 或提示输入，新口令取自
    /// CUNJING_NEW_PASSPHRASE 或提示输入两次 / change the passphrase
    Passphrase,
    /// 加密未加密的数据库（设置口令），并清除未加密的旧备份 / encrypt a plain database
    Encrypt,
    /// 忘记口令时经汇总站找回 / recover a forgotten passphrase through the station
    Recovery {
        #[command(subcommand)]
        command: RecoveryCommand,
    },
    /// 查看或设置本警务室的工作目标 / show or set the office's targets
    Targets {
        /// 要修改的目标（JSON），如 {"households_visited_per_month": 30}
        #[arg(long)]
        set: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RecoveryCommand {
    /// 写出找回口令申请（带到汇总站；无需口令，丢失也不泄露数据）/ write a recovery request
    Request {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 用汇总站的答复文件和恢复码（CUNJING_RECOVERY_CODE 或提示输入）设置新口令 / apply the station's answer
    Apply { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ReceiptCommand {
    /// 导入汇总站的回执（.cjr）/ import a receipt
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum BundleCommand {
    /// 在汇总站验证并概述数据包，不导入 / verify and summarise a bundle at the station
    Inspect {
        file: PathBuf,
        /// 汇总站数据库 / station database
        #[arg(long, env = "CUNJING_STATION_DB", value_name = "PATH")]
        station_db: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum StationCommand {
    /// 建立汇总站及其密钥（不会覆盖已有的）/ create the station and its keys
    Init {
        #[arg(long)]
        station_name: String,
    },
    /// 为警务室签发登记文件（换电脑时重新签发）/ issue an office's enrollment file
    Enroll {
        #[arg(long)]
        office_code: String,
        #[arg(long)]
        office_name: String,
        /// 登记文件写到这里（.cje）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 登记（锁定）警务室的公钥文件（.cjk）/ pin an office's public key
    AddOfficeKey { file: PathBuf },
    /// 导入数据包（可多个）；--dry-run 只报告将发生的变化 / import bundles
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 答复警务室的找回口令申请：写出答复文件，并显示一次性恢复码（当面或电话告知民警）/ answer a recovery request
    Recover {
        /// 警务室的申请文件
        request: PathBuf,
        /// 答复文件写到这里
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 更改汇总站口令；--with-code 用建站时的恢复码（CUNJING_RECOVERY_CODE）代替原口令 / change the station's passphrase
    Passphrase {
        #[arg(long)]
        with_code: bool,
    },
    /// 各警务室概况：最后数据包、导入日期、缺失序号、记录数 / offices overview
    Status {
        #[arg(long)]
        json: bool,
    },
    /// 为警务室生成回执（.cjr）/ write an office's receipt
    Receipt {
        #[arg(long)]
        office_code: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 导出全县统计表（各警务室、各月）：visits 走访 | disputes 纠纷（按类型和结果）| patrols 巡逻 / county tables
    ExportTable {
        /// visits | disputes | patrols
        table: String,
        /// 输出文件（.xlsx 或 .csv）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 全县记录查询 / county-wide records
    Records {
        /// 台账（默认全部）
        #[arg(long)]
        register: Option<String>,
        /// 警务室代码
        #[arg(long)]
        office_code: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// 标题包含的文字
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        include_voided: bool,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
        #[arg(long)]
        json: bool,
    },
}

pub fn parse_date_arg(field: &str, text: &str) -> Result<NaiveDate, Failure> {
    parse_date(text.trim()).ok_or_else(|| {
        Failure::Input(vec![FieldError::new(
            ErrorCode::InvalidDate,
            field,
            format!("不是有效日期（格式：2026-03-05）：{text}"),
        )])
    })
}

pub fn parse_sort(text: &str) -> Result<ListSort, Failure> {
    ListSort::from_code(text.trim()).ok_or_else(|| {
        let choices: Vec<String> = ListSort::ALL.iter().map(|s| format!("{} {}", s.code(), s.label_zh())).collect();
        Failure::Input(vec![FieldError::new(
            ErrorCode::UnknownCode,
            "sort",
            format!("未知的排序方式「{text}」，可选：{}", choices.join("、")),
        )])
    })
}
