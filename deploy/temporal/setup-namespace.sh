#!/bin/sh
# Registers the namespace and Crossdock's search attributes (the worker also ensures them).
set -eu
ADDRESS="${TEMPORAL_ADDRESS:?}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do echo "waiting for Temporal…"; sleep 2; done
temporal operator namespace describe --address "$ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$ADDRESS" -n "$NAMESPACE" --retention 72h
for name in CrossdockTenant CrossdockChannel CrossdockOrderId CrossdockStatus; do
  temporal operator search-attribute create --address "$ADDRESS" -n "$NAMESPACE" --name "$name" --type Keyword || true
done
