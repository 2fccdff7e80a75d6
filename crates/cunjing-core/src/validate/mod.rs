//! Checks of single values (ID numbers, phones) and the field-by-field JSON reader.

pub mod fields;
pub mod id_number;
pub mod phone;
