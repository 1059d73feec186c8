// Package ext names the standard span tags and log fields of the OpenTracing
// semantic conventions, with setters that fix each value's Go type.
//
// Each tag is a typed name. Set sets it on a running span; Tag returns a
// tracegen.Tag that also works as a start option:
//
//	ext.HTTPStatusCode.Set(span, 200)
//	span := tracer.StartSpan("GET /users", ext.SpanKindRPCClient, ext.Component.Tag("net/http"))
//
// The value types are: span.kind, component, peer.service, peer.hostname,
// peer.ipv4, peer.ipv6, peer.address, http.url, http.method, db.*,
// message_bus.destination: string; error: bool; http.status_code: int (the
// type net/http uses); peer.port and sampling.priority: uint16. The span.kind
// values are the plain strings "client", "server", "producer", "consumer" and
// "internal", the same strings tracegen.Start's Kind options set.
//
// The log field names (event, message, error.kind, error.object, stack) build
// log.Field values, and LogError records an error the way tracegen.RecordError
// does, with extra fields.
package ext

import (
	tracegen "github.com/tracegen/tracegen/runtime"
)

// SpanKindEnum is a value of the span.kind tag.
type SpanKindEnum string

// The span.kind values.
const (
	SpanKindRPCClientEnum SpanKindEnum = "client"
	SpanKindRPCServerEnum SpanKindEnum = "server"
	SpanKindProducerEnum  SpanKindEnum = "producer"
	SpanKindConsumerEnum  SpanKindEnum = "consumer"
	SpanKindInternalEnum  SpanKindEnum = "internal"
)

// The span.kind tag and its values as start options.
var (
	// SpanKind is the span.kind tag: the role of the span in an RPC or
	// messaging exchange.
	SpanKind = SpanKindTagName("span.kind")

	// SpanKindRPCClient marks the client side of an RPC.
	SpanKindRPCClient = SpanKind.Tag(SpanKindRPCClientEnum)
	// SpanKindRPCServer marks the server side of an RPC.
	SpanKindRPCServer = SpanKind.Tag(SpanKindRPCServerEnum)
	// SpanKindProducer marks the sending of a message.
	SpanKindProducer = SpanKind.Tag(SpanKindProducerEnum)
	// SpanKindConsumer marks the receiving of a message.
	SpanKindConsumer = SpanKind.Tag(SpanKindConsumerEnum)
	// SpanKindInternal marks work inside a process.
	SpanKindInternal = SpanKind.Tag(SpanKindInternalEnum)
)

// The standard tags.
var (
	// Component is the library, framework or module that made the span,
	// such as "net/http" or "database/sql".
	Component = StringTagName("component")

	// Error marks a failed span.
	Error = BoolTagName("error")

	// SamplingPriority asks the tracer to record (above 0) or drop (0) the
	// trace. Tracers may ignore it.
	SamplingPriority = Uint16TagName("sampling.priority")

	// PeerService is the name of the remote service.
	PeerService = StringTagName("peer.service")
	// PeerHostname is the remote host name.
	PeerHostname = StringTagName("peer.hostname")
	// PeerHostIPv4 is the remote IPv4 address.
	PeerHostIPv4 = IPv4TagName("peer.ipv4")
	// PeerHostIPv6 is the remote IPv6 address.
	PeerHostIPv6 = StringTagName("peer.ipv6")
	// PeerPort is the remote port.
	PeerPort = Uint16TagName("peer.port")
	// PeerAddress is the remote address when it is not an IP and port, such
	// as a socket path or a broker name.
	PeerAddress = StringTagName("peer.address")

	// HTTPURL is the request URL.
	HTTPURL = StringTagName("http.url")
	// HTTPMethod is the request method.
	HTTPMethod = StringTagName("http.method")
	// HTTPStatusCode is the response status code, stored as an int.
	HTTPStatusCode = IntTagName("http.status_code")

	// DBInstance is the database name.
	DBInstance = StringTagName("db.instance")
	// DBStatement is the statement run, without bound values.
	DBStatement = StringTagName("db.statement")
	// DBType is the kind of database, such as "sql" or "redis".
	DBType = StringTagName("db.type")
	// DBUser is the user name the database was accessed with.
	DBUser = StringTagName("db.user")

	// MessageBusDestination is the topic or queue a message goes to or
	// comes from.
	MessageBusDestination = StringTagName("message_bus.destination")
)

// SpanKindTagName is the name of the span.kind tag.
type SpanKindTagName string

// Set sets the tag on span as a plain string.
func (n SpanKindTagName) Set(span tracegen.Span, value SpanKindEnum) {
	span.SetTag(string(n), string(value))
}

// Tag returns the tag with value, usable as a start option.
func (n SpanKindTagName) Tag(value SpanKindEnum) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: string(value)}
}

// StringTagName is the name of a tag with a string value.
type StringTagName string

// Set sets the tag on span.
func (n StringTagName) Set(span tracegen.Span, value string) { span.SetTag(string(n), value) }

// Tag returns the tag with value, usable as a start option.
func (n StringTagName) Tag(value string) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: value}
}

// BoolTagName is the name of a tag with a bool value.
type BoolTagName string

// Set sets the tag on span.
func (n BoolTagName) Set(span tracegen.Span, value bool) { span.SetTag(string(n), value) }

// Tag returns the tag with value, usable as a start option.
func (n BoolTagName) Tag(value bool) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: value}
}

// IntTagName is the name of a tag with an int value.
type IntTagName string

// Set sets the tag on span.
func (n IntTagName) Set(span tracegen.Span, value int) { span.SetTag(string(n), value) }

// Tag returns the tag with value, usable as a start option.
func (n IntTagName) Tag(value int) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: value}
}

// Uint16TagName is the name of a tag with a uint16 value.
type Uint16TagName string

// Set sets the tag on span.
func (n Uint16TagName) Set(span tracegen.Span, value uint16) { span.SetTag(string(n), value) }

// Tag returns the tag with value, usable as a start option.
func (n Uint16TagName) Tag(value uint16) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: value}
}

// IPv4TagName is the name of the peer.ipv4 tag.
type IPv4TagName string

// Set sets the address in dotted form, such as "10.0.0.1".
func (n IPv4TagName) Set(span tracegen.Span, value string) { span.SetTag(string(n), value) }

// SetUint32 sets the address as a big-endian uint32 (10.0.0.1 is
// 0x0a000001), the form some tracers store.
func (n IPv4TagName) SetUint32(span tracegen.Span, value uint32) { span.SetTag(string(n), value) }

// Tag returns the tag with the address in dotted form, usable as a start
// option.
func (n IPv4TagName) Tag(value string) tracegen.Tag {
	return tracegen.Tag{Key: string(n), Value: value}
}

// RPCServerOption returns a start option for the server span of an RPC: a
// child of the client's context (ignored when nil) with span.kind=server.
func RPCServerOption(client tracegen.SpanContext) tracegen.StartSpanOption {
	return rpcServerOption{client: client}
}

type rpcServerOption struct{ client tracegen.SpanContext }

func (r rpcServerOption) Apply(o *tracegen.StartSpanOptions) {
	tracegen.ChildOf(r.client).Apply(o)
	SpanKindRPCServer.Apply(o)
}
