//! Enums with a stable code, a parse, and a label in both languages — one definition for all.

macro_rules! labelled_enum {
    ($name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|item| item.as_str() == value)
            }
            pub fn label(self) -> Text {
                match self { $($name::$variant => Text::new($zh, $en)),+ }
            }
        }
    };
}
