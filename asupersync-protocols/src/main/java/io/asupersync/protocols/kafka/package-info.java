/** Cancel-correct Kafka over kafka-clients: obligation-tracked sends, transactions and offset commits. */
@NullMarked
package io.asupersync.protocols.kafka;

import org.jspecify.annotations.NullMarked;
