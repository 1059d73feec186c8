// Package e2e tests tracegen's tracer and exporters against a real Jaeger v2
// all-in-one, which receives OTLP (HTTP and gRPC) and Zipkin and answers
// queries on its HTTP API.
//
// The tests need the Jaeger binary; .ci/build-jaeger builds it once (about
// ten minutes on two cores) and prints its path:
//
//	JAEGER_BIN=$(.ci/build-jaeger) go test ./e2e/
//
// Without JAEGER_BIN the tests are skipped, unless CI=true, where they fail.
// Jaeger is started per test on free loopback ports with a configuration
// written to a temporary folder (memory storage), and killed at the end.
package e2e
