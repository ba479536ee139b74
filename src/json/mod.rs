//! Marathon JSON files as pkwc reads them back (`pkwc check group.json`): the text into a spanned tree
//! (`read`), and the tree's top level into what kind of file it is (`shape`). Nothing here knows pkw's
//! model. Invariant: like pkw parsing, reading never fails outright: it returns a tree when the text
//! allows one, and every problem as a diagnostic with the exact span.

pub mod model;
pub mod read;
pub mod shape;
pub mod tree;

pub use read::read;
pub use shape::{classify, Classified, Ignored, Kind, Shape};
pub use tree::{JMember, JNode, JNum, JValue};
