//! Our own `typst::World`: one embedded template as the main file, the document's data as JSON
//! bytes in `sys.inputs.data` (never spliced into markup, so user text cannot become markup),
//! an optional image in `sys.inputs.photo`, the shipped Noto Sans SC subset (Regular and Bold)
//! as the only fonts, and "today" from the injected clock. No file system, no network.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Regular-Print.otf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Bold-Print.otf");

/// The shipped faces, parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = [REGULAR, BOLD].into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

/// One compile's world.
pub(crate) struct PrintWorld {
    library: LazyHash<Library>,
    main: Source,
    today: NaiveDate,
}

impl PrintWorld {
    pub(crate) fn new(
        template: &'static str,
        data: &serde_json::Value,
        photo: Option<&[u8]>,
        today: NaiveDate,
    ) -> Self {
        let mut inputs = Dict::new();
        let json = serde_json::to_vec(data).unwrap_or_else(|_| b"{}".to_vec());
        inputs.insert("data".into(), Bytes::new(json).into_value());
        if let Some(photo) = photo {
            inputs.insert("photo".into(), Bytes::new(photo.to_vec()).into_value());
        }
        let path = VirtualPath::new("/main.typ").expect("a valid virtual path");
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        PrintWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, template.to_string()),
            today,
        }
    }

    /// Lays out and writes the PDF; gives its bytes, its page count and the first `svg_pages`
    /// pages as SVG (the app's preview). Any error, and any warning about fonts (a missing face makes
    /// Typst drop the text silently), is refused with the diagnostics' messages.
    pub(crate) fn pdf(
        &self,
        timestamp: Option<Datetime>,
        svg_pages: usize,
    ) -> Result<(Vec<u8>, usize, Vec<String>), String> {
        let warned = typst::compile::<PagedDocument>(self);
        let font_warnings: Vec<&SourceDiagnostic> =
            warned.warnings.iter().filter(|w| w.severity == Severity::Warning && w.message.contains("font")).collect();
        if !font_warnings.is_empty() {
            return Err(describe(font_warnings.into_iter()));
        }
        let document = warned.output.map_err(|errors| describe(errors.iter()))?;
        let options = PdfOptions {
            tagged: false,
            timestamp: timestamp.and_then(|t| Timestamp::new_local(t, 8 * 60)),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| describe(errors.iter()))?;
        let svgs = document
            .pages()
            .iter()
            .take(svg_pages)
            .map(|page| typst_svg::svg(page, &typst_svg::SvgOptions::default()))
            .collect();
        Ok((pdf, document.pages().len(), svgs))
    }
}

fn describe<'a>(diagnostics: impl Iterator<Item = &'a SourceDiagnostic>) -> String {
    diagnostics.map(|d| d.message.to_string()).collect::<Vec<_>>().join("；")
}

impl World for PrintWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        to_datetime(self.today)
    }
}

pub(crate) fn to_datetime(d: NaiveDate) -> Option<Datetime> {
    Datetime::from_ymd(d.year(), u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?)
}
