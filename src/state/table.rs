//! How the event table is sorted: plain data, remembered with the view.

use serde::{Deserialize, Serialize};

/// A column of the event table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TableColumn {
    /// The date as the source gives it; sorted by start (then end).
    #[default]
    Date,
    Title,
    Category,
    Place,
    Region,
    Actors,
}

impl TableColumn {
    pub const ALL: [TableColumn; 6] = [
        TableColumn::Date,
        TableColumn::Title,
        TableColumn::Category,
        TableColumn::Place,
        TableColumn::Region,
        TableColumn::Actors,
    ];

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            TableColumn::Date => "Date",
            TableColumn::Title => "Title",
            TableColumn::Category => "Category",
            TableColumn::Place => "Place",
            TableColumn::Region => "Region",
            TableColumn::Actors => "Actors",
        }
    }
}

/// The column the table is sorted by, and which way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct TableSort {
    pub column: TableColumn,
    pub descending: bool,
}
