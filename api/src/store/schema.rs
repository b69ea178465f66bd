//! The table's shape comes from one place: the `Table` resource of `infra/template.yaml`, the
//! template that deploys to AWS. The local server and every test create their table from it, so
//! an index the store queries but the template lacks fails here, not in production.

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use serde::Deserialize;

use super::{Store, StoreError};

pub const GSI1: &str = "GSI1";
pub const GSI2: &str = "GSI2";
pub const GSI3: &str = "GSI3";
pub const GSI4: &str = "GSI4";
/// Every index the store queries. A test holds this, the store's source and the template equal.
pub const INDEXES_USED: [&str; 4] = [GSI1, GSI2, GSI3, GSI4];
/// Epoch seconds after which the engine may delete an item (sessions, invites).
pub const TTL_ATTRIBUTE: &str = "expires_epoch";

/// The deployed template, compiled in.
pub const TEMPLATE: &str = include_str!("../../../infra/template.yaml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyPart {
    pub attribute_name: String,
    pub key_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributePart {
    pub attribute_name: String,
    pub attribute_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexProjection {
    pub projection_type: String,
    #[serde(default)]
    pub non_key_attributes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexDefinition {
    pub index_name: String,
    pub key_schema: Vec<KeyPart>,
    pub projection: IndexProjection,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TimeToLive {
    pub attribute_name: String,
    pub enabled: bool,
}

/// The `Properties` of the template's `AWS::DynamoDB::Table` that shape data access.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableDefinition {
    pub attribute_definitions: Vec<AttributePart>,
    pub key_schema: Vec<KeyPart>,
    #[serde(default)]
    pub global_secondary_indexes: Vec<IndexDefinition>,
    pub time_to_live_specification: Option<TimeToLive>,
}

#[derive(Debug, thiserror::Error)]
#[error("infra/template.yaml has no usable DynamoDB table resource: {0}")]
pub struct TemplateError(String);

impl TableDefinition {
    /// The one `AWS::DynamoDB::Table` resource of a CloudFormation/SAM template.
    pub fn from_template(template: &str) -> Result<Self, TemplateError> {
        let document: serde_yaml::Value =
            serde_yaml::from_str(template).map_err(|error| TemplateError(error.to_string()))?;
        let resources = document
            .get("Resources")
            .and_then(serde_yaml::Value::as_mapping)
            .ok_or_else(|| TemplateError("no Resources".into()))?;
        let mut tables = resources.values().filter(|resource| {
            resource.get("Type").and_then(serde_yaml::Value::as_str) == Some("AWS::DynamoDB::Table")
        });
        let table = tables
            .next()
            .ok_or_else(|| TemplateError("no AWS::DynamoDB::Table".into()))?;
        if tables.next().is_some() {
            return Err(TemplateError("more than one table".into()));
        }
        let properties = table
            .get("Properties")
            .cloned()
            .ok_or_else(|| TemplateError("the table has no Properties".into()))?;
        serde_yaml::from_value(properties).map_err(|error| TemplateError(error.to_string()))
    }

    /// The deployed template's table.
    pub fn deployed() -> Result<Self, TemplateError> {
        Self::from_template(TEMPLATE)
    }

    pub fn index_names(&self) -> Vec<&str> {
        self.global_secondary_indexes
            .iter()
            .map(|index| index.index_name.as_str())
            .collect()
    }
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

fn key_schema(parts: &[KeyPart]) -> Result<Vec<KeySchemaElement>, StoreError> {
    parts
        .iter()
        .map(|part| {
            KeySchemaElement::builder()
                .attribute_name(&part.attribute_name)
                .key_type(KeyType::from(part.key_type.as_str()))
                .build()
                .map_err(corrupt)
        })
        .collect()
}

impl Store {
    /// Creates the table from the deployed template when it does not exist yet; an existing
    /// table is left as it is.
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        let exists = self
            .client
            .describe_table()
            .table_name(self.table())
            .send()
            .await;
        match exists {
            Ok(_) => return Ok(()),
            Err(error) if error.code() == Some("ResourceNotFoundException") => {}
            Err(error) => return Err(StoreError::from_sdk(error)),
        }
        let definition = TableDefinition::deployed().map_err(corrupt)?;
        let mut request = self
            .client
            .create_table()
            .table_name(self.table())
            .billing_mode(BillingMode::PayPerRequest)
            .set_key_schema(Some(key_schema(&definition.key_schema)?));
        for attribute in &definition.attribute_definitions {
            request = request.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(&attribute.attribute_name)
                    .attribute_type(ScalarAttributeType::from(attribute.attribute_type.as_str()))
                    .build()
                    .map_err(corrupt)?,
            );
        }
        for index in &definition.global_secondary_indexes {
            let projection = Projection::builder()
                .projection_type(ProjectionType::from(
                    index.projection.projection_type.as_str(),
                ))
                .set_non_key_attributes(
                    (!index.projection.non_key_attributes.is_empty())
                        .then(|| index.projection.non_key_attributes.clone()),
                )
                .build();
            request = request.global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(&index.index_name)
                    .set_key_schema(Some(key_schema(&index.key_schema)?))
                    .projection(projection)
                    .build()
                    .map_err(corrupt)?,
            );
        }
        request.send().await.map_err(StoreError::from_sdk)?;
        if let Some(ttl) = definition.time_to_live_specification {
            self.client
                .update_time_to_live()
                .table_name(self.table())
                .time_to_live_specification(
                    TimeToLiveSpecification::builder()
                        .enabled(ttl.enabled)
                        .attribute_name(ttl.attribute_name)
                        .build()
                        .map_err(corrupt)?,
                )
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
        }
        Ok(())
    }

    /// The live table described in the template's terms, to compare with the template.
    pub async fn describe_as_definition(&self) -> Result<TableDefinition, StoreError> {
        let description = self
            .client
            .describe_table()
            .table_name(self.table())
            .send()
            .await
            .map_err(StoreError::from_sdk)?
            .table
            .ok_or_else(|| corrupt("DescribeTable returned no table"))?;
        let keys = |elements: &[KeySchemaElement]| {
            elements
                .iter()
                .map(|element| KeyPart {
                    attribute_name: element.attribute_name().to_string(),
                    key_type: element.key_type().as_str().to_string(),
                })
                .collect::<Vec<_>>()
        };
        let ttl = self
            .client
            .describe_time_to_live()
            .table_name(self.table())
            .send()
            .await
            .map_err(StoreError::from_sdk)?
            .time_to_live_description
            .and_then(|ttl| {
                let enabled = ttl.time_to_live_status()?.as_str() == "ENABLED";
                Some(TimeToLive {
                    attribute_name: ttl.attribute_name()?.to_string(),
                    enabled,
                })
            });
        Ok(TableDefinition {
            attribute_definitions: description
                .attribute_definitions()
                .iter()
                .map(|attribute| AttributePart {
                    attribute_name: attribute.attribute_name().to_string(),
                    attribute_type: attribute.attribute_type().as_str().to_string(),
                })
                .collect(),
            key_schema: keys(description.key_schema()),
            global_secondary_indexes: description
                .global_secondary_indexes()
                .iter()
                .map(|index| IndexDefinition {
                    index_name: index.index_name().unwrap_or_default().to_string(),
                    key_schema: keys(index.key_schema()),
                    projection: IndexProjection {
                        projection_type: index
                            .projection()
                            .and_then(|projection| projection.projection_type())
                            .map(|kind| kind.as_str().to_string())
                            .unwrap_or_default(),
                        non_key_attributes: index
                            .projection()
                            .map(|projection| projection.non_key_attributes().to_vec())
                            .unwrap_or_default(),
                    },
                })
                .collect(),
            time_to_live_specification: ttl,
        })
    }
}
