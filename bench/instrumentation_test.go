package bench_test

// Benchmarks of tracegen's instrumentation (runtime/tracehttp, tracesql,
// traceredis) against the OpenTelemetry contrib packages that do the same
// (otelhttp, XSAM/otelsql, redisotel), in one run, each next to the bare
// call it wraps so that its added cost can be read off:
//
//	cd bench && go test -run '^$' -bench 'Instrumentation' -benchmem -count 10 . > inst.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl inst.txt
//
// Every traced case records: tracegen's tracer and the OpenTelemetry SDK
// both sample everything and hand finished spans to their batching
// pipeline with an exporter that discards. Nothing crosses a network: the
// HTTP cases serve into a ResponseRecorder and send through a RoundTripper
// that answers from memory, the SQL cases use an in-memory driver, the
// Redis cases a client whose connection is one end of a net.Pipe with an
// in-process server on the other.

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/XSAM/otelsql"
	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/tracegen/tracegen/runtime/tracehttp"
	"github.com/tracegen/tracegen/runtime/tracer"
	"github.com/tracegen/tracegen/runtime/traceredis"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

// instTracers are the two recording tracers, and the context each uses as
// the caller's (holding a root span).
type instTracers struct {
	tg    *tracer.Tracer
	tgCtx context.Context
	tp    *sdktrace.TracerProvider
	otCtx context.Context
}

func newInstTracers(b *testing.B) instTracers {
	tgCtx, tg, _, _ := trSetup(b, tracer.AlwaysSample())
	otCtx, _, tp, _ := otelSetup(b)
	return instTracers{tg: tg, tgCtx: tgCtx, tp: tp, otCtx: otCtx}
}

var w3c = propagation.TraceContext{}

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

var body100 = []byte(strings.Repeat("x", 100))

func BenchmarkInstrumentationHTTPServer(b *testing.B) {
	ts := newInstTracers(b)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body100) })
	impls := []struct {
		name string
		h    http.Handler
	}{
		{"bare", handler},
		{"tracegen", tracehttp.Middleware(handler, tracehttp.WithTracer(ts.tg))},
		{"otelhttp", otelhttp.NewHandler(handler, "server", otelhttp.WithTracerProvider(ts.tp), otelhttp.WithPropagators(w3c))},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/items/42?x=1", nil)
			req.Header.Set("Traceparent", traceparent)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				impl.h.ServeHTTP(rec, req)
			}
		})
	}
}

// memTransport answers every request from memory with a 100-byte body.
type memTransport struct{}

func (memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(string(body100))), Request: r}, nil
}

func BenchmarkInstrumentationHTTPClient(b *testing.B) {
	ts := newInstTracers(b)
	impls := []struct {
		name string
		rt   http.RoundTripper
		ctx  context.Context
	}{
		{"bare", memTransport{}, ts.tgCtx},
		{"tracegen", tracehttp.Transport(memTransport{}, tracehttp.WithTracer(ts.tg)), ts.tgCtx},
		{"otelhttp", otelhttp.NewTransport(memTransport{}, otelhttp.WithTracerProvider(ts.tp), otelhttp.WithPropagators(w3c)), ts.otCtx},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			req, _ := http.NewRequestWithContext(impl.ctx, http.MethodGet, "http://svc.local/items/42", nil)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := impl.rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

// memDriver answers every query with one row of two columns.
type memDriver struct{}

func (memDriver) Open(string) (driver.Conn, error) { return memConn{}, nil }

type memConn struct{}

func (memConn) Prepare(string) (driver.Stmt, error) { return nil, driver.ErrSkip }
func (memConn) Close() error                        { return nil }
func (memConn) Begin() (driver.Tx, error)           { return nil, driver.ErrSkip }
func (memConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return &memRows{}, nil
}

type memRows struct{ done bool }

func (*memRows) Columns() []string { return []string{"id", "name"} }
func (*memRows) Close() error      { return nil }
func (r *memRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0], dest[1] = int64(42), "apple"
	return nil
}

type memConnector struct{ d driver.Driver }

func (c memConnector) Connect(context.Context) (driver.Conn, error) { return memConn{}, nil }
func (c memConnector) Driver() driver.Driver                        { return c.d }

func BenchmarkInstrumentationSQL(b *testing.B) {
	ts := newInstTracers(b)
	impls := []struct {
		name string
		db   *sql.DB
		ctx  context.Context
	}{
		{"bare", sql.OpenDB(memConnector{memDriver{}}), ts.tgCtx},
		{"tracegen", sql.OpenDB(tracesql.WrapConnector(memConnector{memDriver{}}, tracesql.WithTracer(ts.tg))), ts.tgCtx},
		{"otelsql", otelsql.OpenDB(memConnector{memDriver{}}, otelsql.WithTracerProvider(ts.tp)), ts.otCtx},
	}
	for _, impl := range impls {
		b.Cleanup(func() { impl.db.Close() })
		b.Run("impl="+impl.name, func(b *testing.B) {
			var id int
			var name string
			b.ReportAllocs()
			for b.Loop() {
				if err := impl.db.QueryRowContext(impl.ctx, "SELECT id, name FROM items WHERE id = 42").Scan(&id, &name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// respServer answers each RESP command read from conn with +OK.
func respServer(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		var name string
		for i := range n {
			hdr, err := r.ReadString('\n')
			if err != nil {
				return
			}
			size, _ := strconv.Atoi(strings.TrimSpace(hdr[1:]))
			arg := make([]byte, size+2)
			if _, err := io.ReadFull(r, arg); err != nil {
				return
			}
			if i == 0 {
				name = strings.ToLower(string(arg[:size]))
			}
		}
		reply := "+OK\r\n"
		if name == "hello" {
			reply = "-ERR unknown command 'hello'\r\n" // a RESP2 server
		}
		if _, err := io.WriteString(conn, reply); err != nil {
			return
		}
	}
}

func pipeClient() *redis.Client {
	return redis.NewClient(&redis.Options{
		Protocol:        2,
		DisableIdentity: true,
		PoolSize:        1,
		Dialer: func(context.Context, string, string) (net.Conn, error) {
			c, s := net.Pipe()
			go respServer(s)
			return c, nil
		},
	})
}

func BenchmarkInstrumentationRedis(b *testing.B) {
	ts := newInstTracers(b)
	bare := pipeClient()
	tg := pipeClient()
	tg.AddHook(traceredis.NewHook(traceredis.WithTracer(ts.tg)))
	ot := pipeClient()
	if err := redisotel.InstrumentTracing(ot, redisotel.WithTracerProvider(ts.tp)); err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		rdb  *redis.Client
		ctx  context.Context
	}{{"bare", bare, ts.tgCtx}, {"tracegen", tg, ts.tgCtx}, {"redisotel", ot, ts.otCtx}}
	for _, impl := range impls {
		b.Cleanup(func() { impl.rdb.Close() })
		b.Run("impl="+impl.name, func(b *testing.B) {
			if err := impl.rdb.Set(impl.ctx, "warm", "up", 0).Err(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := impl.rdb.Set(impl.ctx, "session:42", "v", 0).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
