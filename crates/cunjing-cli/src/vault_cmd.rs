//! Passphrases and the encryption commands (issue 7): `passphrase`, `encrypt`, `recovery
//! request|apply` and the station's `station recover`.
//!
//! A passphrase comes from `CUNJING_PASSPHRASE` when set (scripts, tests), else from a prompt on
//! the terminal that does not echo. A new passphrase is asked twice. Where a command needs a
//! second secret it has its own variable: `CUNJING_NEW_PASSPHRASE`, `CUNJING_RECOVERY_CODE`.

use std::path::Path;

use cunjing_core::vault::{self, DbKey, KdfParams, KeyFileRole, Protection};
use cunjing_core::{ErrorCode, FieldError};
use zeroize::Zeroizing;

use crate::{CliResult, Failure, open, output};

pub const PASSPHRASE_ENV: &str = "CUNJING_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "CUNJING_NEW_PASSPHRASE";
pub const RECOVERY_CODE_ENV: &str = "CUNJING_RECOVERY_CODE";

/// The Argon2id cost for every key file this program writes.
pub const KDF: KdfParams = KdfParams::DEFAULT;

fn missing(var: &str, what: &str) -> Failure {
    Failure::Input(vec![FieldError::new(
        ErrorCode::PassphraseRequired,
        var,
        format!("需要{what}：请在终端中运行（会提示输入），或设置环境变量 {var}"),
    )])
}

/// A secret from `var`, or typed at a prompt without echo.
fn secret(var: &str, prompt: &str, what: &str) -> Result<Zeroizing<String>, Failure> {
    if let Ok(value) = std::env::var(var) {
        return Ok(Zeroizing::new(value));
    }
    rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|_| missing(var, what))
}

/// A new secret from `var`, or typed twice (a typo in a new passphrase locks the officer out).
fn new_secret(var: &str, what: &str) -> Result<Zeroizing<String>, Failure> {
    if let Ok(value) = std::env::var(var) {
        return Ok(Zeroizing::new(value));
    }
    let first = secret(var, &format!("设置{what}（至少 8 个字符）/ new passphrase: "), what)?;
    let again = secret(var, &format!("再输入一次{what} / again: "), what)?;
    if *first != *again {
        return Err(Failure::Input(vec![FieldError::new(
            ErrorCode::WrongPassphrase,
            var,
            format!("两次输入的{what}不一致，未作任何改动"),
        )]));
    }
    Ok(first)
}

/// The key that opens the database at `db`: its key file unlocked with the passphrase, or plain
/// for a database without one (a demo file, or one written before encryption).
pub fn key_for(db: &Path) -> Result<DbKey, Failure> {
    match vault::protection(db) {
        Protection::Encrypted => {
            let pass = passphrase_for(db)?;
            Ok(vault::unlock(db, &pass)?)
        }
        Protection::Plain | Protection::Missing => Ok(DbKey::Plain),
    }
}

/// The passphrase for the database (or key file) at `path`.
pub fn passphrase_for(path: &Path) -> Result<Zeroizing<String>, Failure> {
    secret(PASSPHRASE_ENV, &format!("口令 / passphrase（{}）: ", path.display()), "口令")
}

/// A key for a new database at `db`: the key file is written first, with a new passphrase.
pub fn new_key(db: &Path, role: KeyFileRole) -> Result<DbKey, Failure> {
    vault::refuse_existing(db)?;
    let pass = new_secret(PASSPHRASE_ENV, "口令")?;
    Ok(vault::create_key(db, role, &pass, KDF)?)
}

/// Creating a database failed after its key file was written: the key file goes too (it opens
/// nothing), so that the next attempt starts clean.
pub fn forget_new_key(db: &Path) {
    if !db.exists() {
        let _ = std::fs::remove_file(vault::key_path(db));
    }
}

/// `cunjing passphrase [--with-code]`: a new passphrase for the key file of `db` (office or
/// station). The database is not re-encrypted.
pub fn change(db: &Path, with_code: bool) -> CliResult {
    if vault::protection(db) != Protection::Encrypted {
        return Err(Failure::Input(vec![FieldError::new(
            ErrorCode::PassphraseRequired,
            "",
            format!("{} 没有加密，没有口令可改；请用 cunjing encrypt 加密", db.display()),
        )]));
    }
    if with_code {
        let code = secret(RECOVERY_CODE_ENV, "恢复码 / recovery code: ", "恢复码")?;
        let new = new_secret(NEW_PASSPHRASE_ENV, "新口令")?;
        vault::reset_with_code(db, &code, &new, KDF)?;
    } else {
        let old = secret(PASSPHRASE_ENV, "原口令 / current passphrase: ", "原口令")?;
        let new = new_secret(NEW_PASSPHRASE_ENV, "新口令")?;
        vault::change_passphrase(db, &old, &new, KDF)?;
    }
    eprintln!("口令已更改（数据本身无需重新加密）");
    Ok(())
}

/// `cunjing encrypt`: a plain office database becomes encrypted (and its plain backups go); on
/// an encrypted one, only plain backups left from before are cleared.
pub fn encrypt(db: &Path) -> CliResult {
    match vault::protection(db) {
        Protection::Missing => {
            return Err(Failure::Input(vec![FieldError::new(
                ErrorCode::NoOffice,
                "",
                format!("找不到数据库 {}", db.display()),
            )]));
        }
        Protection::Plain => {
            let pass = new_secret(PASSPHRASE_ENV, "口令")?;
            vault::encrypt_plain(db, KeyFileRole::Office, &pass, KDF)?;
            eprintln!("数据库已加密：{}（密钥文件 {}）", db.display(), vault::key_path(db).display());
        }
        Protection::Encrypted => eprintln!("数据库已经是加密的"),
    }
    let store = open(db)?;
    let removed = store.retire_plain_backups()?;
    if removed > 0 {
        eprintln!("已做一份加密备份，并删除 {removed} 个未加密的旧备份");
    }
    println!("{}", db.display());
    Ok(())
}

/// `cunjing recovery request --out FILE`: for an officer who forgot the passphrase.
pub fn recovery_request(db: &Path, out: &Path) -> CliResult {
    let bytes = vault::recovery_request(db)?;
    std::fs::write(out, bytes).map_err(|e| Failure::Other(format!("无法写入 {}：{e}", out.display())))?;
    eprintln!("找回口令申请已写到 {}：请带到汇总站，由汇总站生成答复文件和恢复码", out.display());
    println!("{}", out.display());
    Ok(())
}

/// `cunjing recovery apply FILE`: the station's answer, its code and a new passphrase.
pub fn recovery_apply(db: &Path, response: &Path) -> CliResult {
    let bytes = std::fs::read(response).map_err(|e| Failure::Other(format!("无法读取 {}：{e}", response.display())))?;
    let code = secret(RECOVERY_CODE_ENV, "恢复码（汇总站告知）/ recovery code: ", "恢复码")?;
    let new = new_secret(NEW_PASSPHRASE_ENV, "新口令")?;
    vault::recover(db, &bytes, &code, &new, KDF)?;
    eprintln!("口令已重设，请用新口令打开");
    Ok(())
}

/// `cunjing station recover REQUEST --out RESPONSE`: prints the one-time code for the clerk to
/// give the officer in person (or by telephone); the code is in no file.
pub fn station_recover(
    station: &cunjing_core::station::StationStore,
    request: &Path,
    out: &Path,
    json: bool,
) -> CliResult {
    let bytes = std::fs::read(request).map_err(|e| Failure::Other(format!("无法读取 {}：{e}", request.display())))?;
    let label = vault::recovery_request_label(&bytes)?;
    let (response, code) = station.answer_recovery(&bytes, KDF)?;
    std::fs::write(out, response).map_err(|e| Failure::Other(format!("无法写入 {}：{e}", out.display())))?;
    if json {
        output::print_json(&serde_json::json!({"response": out.display().to_string(), "code": code, "label": label}));
    } else {
        eprintln!("已为「{label}」生成找回答复：{}", out.display());
        eprintln!("恢复码（请当面或电话告知民警，不要写在 U 盘上）：");
        println!("{code}");
    }
    Ok(())
}
