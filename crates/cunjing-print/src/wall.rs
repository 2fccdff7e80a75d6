//! The wall display (警务公开栏), A4 or A3 portrait: the officer's photo and details, the office's
//! and the station's phones, 110, days in the village and service hours, the commitments, this
//! month's figures and safety tips. Public: its data goes through [`mask_public`].

use cunjing_core::dashboard::Month;
use cunjing_core::format::date_zh;
use cunjing_core::store::photo_format;
use cunjing_core::{CoreError, CoreResult, ErrorCode, FieldError, Store};
use serde_json::json;

use crate::mask::mask_public;
use crate::{Document, Job};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaperSize {
    #[default]
    A4,
    A3,
}

impl PaperSize {
    pub fn parse(text: &str) -> CoreResult<PaperSize> {
        match text.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(PaperSize::A4),
            "a3" => Ok(PaperSize::A3),
            _ => Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::UnknownCode,
                "size",
                format!("纸张只能是 a4 或 a3：{text}"),
            )])),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PaperSize::A4 => "a4",
            PaperSize::A3 => "a3",
        }
    }
}

/// Lines of a multi-line profile field.
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// The wall display with `month`'s figures.
pub fn wall(store: &Store, month: Month, size: PaperSize) -> CoreResult<Document> {
    wall_job(store, month, size)?.render(store, 0)
}

pub(crate) fn wall_job(store: &Store, month: Month, size: PaperSize) -> CoreResult<Job> {
    let office = store.office()?;
    let profile = store.print_profile()?;
    let figures = store.period_figures(month.first_day(), month.last_day())?;
    let photo = store.officer_photo()?.filter(|p| photo_format(p).is_some());
    let data = json!({
        "size": size.code(),
        // The office publishes these itself: kept whole by the mask (ID numbers still scrubbed).
        "office": {
            "name": office.name,
            "officer": office.officer,
            "police_number": office.police_number,
            "role": profile.officer_role,
            "officer_phone": office.officer_phone,
            "station": office.station_name,
            "station_phone": office.station_phone,
            "address": profile.office_address,
            "office_phone": profile.office_phone,
            "village_days": profile.village_days,
            "service_hours": profile.service_hours,
        },
        "commitments": lines(&profile.commitments),
        "tips": lines(&profile.safety_tips),
        "month": format!("{}年{}月", month.year, month.month),
        "figures": {
            "households_visited": figures.households_visited,
            "disputes_resolved": figures.disputes_resolved,
            "disputes_accepted": figures.disputes_accepted,
            "patrols": figures.patrols,
            "services": figures.services,
        },
        "updated": date_zh(store.today()),
        "has_photo": photo.is_some(),
    });
    let title = format!("{} 警务公开栏", office.name);
    let file_name = format!("{}-公开栏-{month}-{}.pdf", office.code, size.code());
    Ok(Job::public(include_str!("../../../assets/print/wall.typ"), mask_public(data), photo, title, file_name))
}
