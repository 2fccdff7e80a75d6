//! Why a file was refused. Each reason has a stable snake_case code (for machines and for the
//! station's rejection log) and a Chinese message (for the clerk).

/// Everything that makes a sync file unusable. Nothing in this crate panics on bad bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("不是村警台账的同步文件（文件头不对）")]
    NotCunjingFile,
    #[error("文件类型不对：需要{expected}，这是{found}")]
    WrongKind { expected: &'static str, found: &'static str },
    #[error("文件不完整（可能拷贝中断或 U 盘被拔出）：{0}")]
    Truncated(&'static str),
    #[error("文件末尾有多余的数据，文件已损坏")]
    TrailingBytes,
    #[error("文件由更新版本的村警台账生成（格式版本 {found}，本程序支持到 {supported}），请升级程序")]
    FutureFormat { found: u32, supported: u32 },
    #[error("文件头无法解析：{0}")]
    BadHeader(String),
    #[error("签名验证失败：文件被改动过，或不是由登记的密钥签发的")]
    BadSignature,
    #[error("密钥格式不对：{0}")]
    BadKey(String),
    #[error("这个数据包是发给另一个汇总站的（指纹 {found}），本站指纹 {expected}")]
    WrongStation { expected: String, found: String },
    #[error("解密失败：数据包不是发给本站的，或内容已损坏")]
    DecryptFailed,
    #[error("数据包内容已损坏：{0}")]
    BadPayload(String),
    #[error("数据包内容与文件头不一致：{0}")]
    Mismatch(String),
    #[error("生成随机密钥失败：{0}")]
    Random(String),
    #[error("加密失败：{0}")]
    Encrypt(String),
    #[error("密钥文件无法使用：{0}")]
    BadKeyFile(String),
    #[error("口令不对")]
    WrongPassphrase,
    #[error("口令太短：至少 8 个字符（汉字、字母、数字均可）")]
    WeakPassphrase,
    #[error("这个数据库还没有汇总站的找回封装：请先向汇总站登记（导入登记文件）")]
    NoStationWrap,
}

impl FormatError {
    /// The stable machine code of the reason.
    pub fn code(&self) -> &'static str {
        match self {
            FormatError::NotCunjingFile => "not_cunjing_file",
            FormatError::WrongKind { .. } => "wrong_file_kind",
            FormatError::Truncated(_) => "truncated",
            FormatError::TrailingBytes => "trailing_bytes",
            FormatError::FutureFormat { .. } => "future_format",
            FormatError::BadHeader(_) => "bad_header",
            FormatError::BadSignature => "bad_signature",
            FormatError::BadKey(_) => "bad_key",
            FormatError::WrongStation { .. } => "wrong_station",
            FormatError::DecryptFailed => "decrypt_failed",
            FormatError::BadPayload(_) => "bad_payload",
            FormatError::Mismatch(_) => "manifest_mismatch",
            FormatError::Random(_) => "random_failed",
            FormatError::Encrypt(_) => "encrypt_failed",
            FormatError::BadKeyFile(_) => "bad_key_file",
            FormatError::WrongPassphrase => "wrong_passphrase",
            FormatError::WeakPassphrase => "weak_passphrase",
            FormatError::NoStationWrap => "no_station_wrap",
        }
    }
}

pub type FormatResult<T> = Result<T, FormatError>;
