package ext_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/ext"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

func TestTagSetters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		set     func(tracegen.Span)
		tag     tracegen.Tag
		wantKey string
		want    any
	}{
		{"span kind", func(s tracegen.Span) { ext.SpanKind.Set(s, ext.SpanKindRPCServerEnum) }, ext.SpanKind.Tag(ext.SpanKindRPCServerEnum), "span.kind", "server"},
		{"component", func(s tracegen.Span) { ext.Component.Set(s, "net/http") }, ext.Component.Tag("net/http"), "component", "net/http"},
		{"error", func(s tracegen.Span) { ext.Error.Set(s, true) }, ext.Error.Tag(true), "error", true},
		{"sampling priority", func(s tracegen.Span) { ext.SamplingPriority.Set(s, 1) }, ext.SamplingPriority.Tag(1), "sampling.priority", uint16(1)},
		{"peer service", func(s tracegen.Span) { ext.PeerService.Set(s, "users") }, ext.PeerService.Tag("users"), "peer.service", "users"},
		{"peer hostname", func(s tracegen.Span) { ext.PeerHostname.Set(s, "db1") }, ext.PeerHostname.Tag("db1"), "peer.hostname", "db1"},
		{"peer ipv4", func(s tracegen.Span) { ext.PeerHostIPv4.Set(s, "10.0.0.1") }, ext.PeerHostIPv4.Tag("10.0.0.1"), "peer.ipv4", "10.0.0.1"},
		{"peer ipv4 uint32", func(s tracegen.Span) { ext.PeerHostIPv4.SetUint32(s, 0x0a000001) }, tracegen.Tag{Key: "peer.ipv4", Value: uint32(0x0a000001)}, "peer.ipv4", uint32(0x0a000001)},
		{"peer ipv6", func(s tracegen.Span) { ext.PeerHostIPv6.Set(s, "::1") }, ext.PeerHostIPv6.Tag("::1"), "peer.ipv6", "::1"},
		{"peer port", func(s tracegen.Span) { ext.PeerPort.Set(s, 5432) }, ext.PeerPort.Tag(5432), "peer.port", uint16(5432)},
		{"peer address", func(s tracegen.Span) { ext.PeerAddress.Set(s, "/tmp/sock") }, ext.PeerAddress.Tag("/tmp/sock"), "peer.address", "/tmp/sock"},
		{"http url", func(s tracegen.Span) { ext.HTTPURL.Set(s, "http://x/y") }, ext.HTTPURL.Tag("http://x/y"), "http.url", "http://x/y"},
		{"http method", func(s tracegen.Span) { ext.HTTPMethod.Set(s, "GET") }, ext.HTTPMethod.Tag("GET"), "http.method", "GET"},
		{"http status", func(s tracegen.Span) { ext.HTTPStatusCode.Set(s, 200) }, ext.HTTPStatusCode.Tag(200), "http.status_code", 200},
		{"db instance", func(s tracegen.Span) { ext.DBInstance.Set(s, "users") }, ext.DBInstance.Tag("users"), "db.instance", "users"},
		{"db statement", func(s tracegen.Span) { ext.DBStatement.Set(s, "SELECT 1") }, ext.DBStatement.Tag("SELECT 1"), "db.statement", "SELECT 1"},
		{"db type", func(s tracegen.Span) { ext.DBType.Set(s, "sql") }, ext.DBType.Tag("sql"), "db.type", "sql"},
		{"db user", func(s tracegen.Span) { ext.DBUser.Set(s, "app") }, ext.DBUser.Tag("app"), "db.user", "app"},
		{"message bus destination", func(s tracegen.Span) { ext.MessageBusDestination.Set(s, "orders") }, ext.MessageBusDestination.Tag("orders"), "message_bus.destination", "orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := mocktracer.New()
			set := tr.StartSpan("set").(*mocktracer.Span)
			tt.set(set)
			atStart := tr.StartSpan("start", tt.tag).(*mocktracer.Span)
			viaTagSet := tr.StartSpan("tag.set").(*mocktracer.Span)
			viaTagSet.SetTag(tt.tag.Key, tt.tag.Value)
			want := map[string]any{tt.wantKey: tt.want}
			for _, s := range []*mocktracer.Span{set, atStart, viaTagSet} {
				if diff := deep.Diff(want, s.Tags()); diff != "" {
					t.Errorf("%s: tags (-want +got):\n%s", s.OperationName(), diff)
				}
			}
		})
	}
}

func TestSpanKindOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt  tracegen.Tag
		want string
	}{
		{ext.SpanKindRPCClient, "client"},
		{ext.SpanKindRPCServer, "server"},
		{ext.SpanKindProducer, "producer"},
		{ext.SpanKindConsumer, "consumer"},
		{ext.SpanKindInternal, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			s := mocktracer.New().StartSpan("op", tt.opt).(*mocktracer.Span)
			if got := s.Tag("span.kind"); got != tt.want {
				t.Errorf("span.kind = %#v, want %q", got, tt.want)
			}
		})
	}
}

func TestRPCServerOption(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()
	client := tr.StartSpan("client", ext.SpanKindRPCClient).(*mocktracer.Span)
	server := tr.StartSpan("server", ext.RPCServerOption(client.Context())).(*mocktracer.Span)
	if server.ParentID() != client.SpanID() || server.TraceID() != client.TraceID() {
		t.Errorf("server span: parent %d trace %d, want %d %d", server.ParentID(), server.TraceID(), client.SpanID(), client.TraceID())
	}
	if got := server.Tag("span.kind"); got != "server" {
		t.Errorf("span.kind = %#v, want server", got)
	}
	root := tr.StartSpan("root", ext.RPCServerOption(nil)).(*mocktracer.Span)
	if root.ParentID() != 0 || len(root.References()) != 0 {
		t.Errorf("RPCServerOption(nil): parent %d refs %v, want a root", root.ParentID(), root.References())
	}
}

func TestLogFieldNames(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		field log.Field
		key   string
		value any
	}{
		{ext.LogEvent.Field("retry"), "event", "retry"},
		{ext.LogMessage.Field("hi"), "message", "hi"},
		{ext.LogErrorKind.Field("*errors.errorString"), "error.kind", "*errors.errorString"},
		{ext.LogErrorObject.Field(errBoom), "error.object", errBoom},
		{ext.ErrorFieldName("cause").Field(errBoom), "cause", errBoom},
		{ext.LogStack.Field("main.main()"), "stack", "main.main()"},
	}
	for _, tt := range tests {
		if tt.field.Key() != tt.key || tt.field.Value() != tt.value {
			t.Errorf("field = %v:%#v, want %v:%#v", tt.field.Key(), tt.field.Value(), tt.key, tt.value)
		}
	}
	if got := ext.LogErrorObject.Field(errBoom).Type(); got != log.ErrorType {
		t.Errorf("error.object field type = %v, want log.ErrorType", got)
	}
}

func TestLogErrorMatchesRecordError(t *testing.T) {
	t.Parallel()
	err := &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}
	tr := mocktracer.New()
	viaExt := tr.StartSpan("ext").(*mocktracer.Span)
	ext.LogError(viaExt, err, log.String("path", "/x"))
	viaRuntime := tr.StartSpan("runtime").(*mocktracer.Span)
	tracegen.RecordError(viaRuntime, err)

	wantFields := []mocktracer.KeyValue{
		{Key: "event", Value: "error"},
		{Key: "message", Value: "open /x: file does not exist"},
		{Key: "error.kind", Value: "*fs.PathError"},
		{Key: "error.object", Value: error(err)},
	}
	ignoreTime := deep.Options{deep.IgnoreFields(mocktracer.LogRecord{}, "Timestamp"), deep.EquateErrors()}
	want := []mocktracer.LogRecord{{Fields: append(wantFields, mocktracer.KeyValue{Key: "path", Value: "/x"})}}
	if diff := deep.Diff(want, viaExt.Logs(), ignoreTime); diff != "" {
		t.Errorf("ext.LogError logs (-want +got):\n%s", diff)
	}
	if diff := deep.Diff([]mocktracer.LogRecord{{Fields: wantFields}}, viaRuntime.Logs(), ignoreTime); diff != "" {
		t.Errorf("tracegen.RecordError logs (-want +got):\n%s", diff)
	}
	for _, s := range []*mocktracer.Span{viaExt, viaRuntime} {
		if got := s.Tag("error"); got != true {
			t.Errorf("%s: error tag = %#v, want true", s.OperationName(), got)
		}
	}

	quiet := tr.StartSpan("nil").(*mocktracer.Span)
	ext.LogError(quiet, nil)
	ext.LogError(nil, err) // must not panic
	if len(quiet.Tags())+len(quiet.Logs()) != 0 {
		t.Errorf("LogError(nil error) recorded tags %v logs %v", quiet.Tags(), quiet.Logs())
	}
}
