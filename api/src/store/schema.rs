//! The table's key schema — the same as `infra/template.yaml` declares for AWS.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};

use super::{Store, StoreError};

pub const GSI1: &str = "GSI1";
pub const GSI2: &str = "GSI2";
pub const GSI3: &str = "GSI3";
pub const GSI4: &str = "GSI4";
/// Epoch seconds after which the engine may delete an item (sessions, invites).
pub const TTL_ATTRIBUTE: &str = "expires_epoch";

fn key_element(name: &str, key_type: KeyType) -> Result<KeySchemaElement, StoreError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn string_attribute(name: &str) -> Result<AttributeDefinition, StoreError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn index(name: &str, pk: &str, sk: &str) -> Result<GlobalSecondaryIndex, StoreError> {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key_element(pk, KeyType::Hash)?)
        .key_schema(key_element(sk, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|error| StoreError::Corrupt(error.to_string()))
}

impl Store {
    /// Creates the table when it does not exist yet; an existing table is left as it is.
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
        let mut request = self
            .client
            .create_table()
            .table_name(self.table())
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key_element("PK", KeyType::Hash)?)
            .key_schema(key_element("SK", KeyType::Range)?);
        for name in [
            "PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK",
            "GSI4SK",
        ] {
            request = request.attribute_definitions(string_attribute(name)?);
        }
        request
            .global_secondary_indexes(index(GSI1, "GSI1PK", "GSI1SK")?)
            .global_secondary_indexes(index(GSI2, "GSI2PK", "GSI2SK")?)
            .global_secondary_indexes(index(GSI3, "GSI3PK", "GSI3SK")?)
            .global_secondary_indexes(index(GSI4, "GSI4PK", "GSI4SK")?)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.client
            .update_time_to_live()
            .table_name(self.table())
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(TTL_ATTRIBUTE)
                    .build()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            )
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }
}

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
