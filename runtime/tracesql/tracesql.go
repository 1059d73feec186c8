// Package tracesql traces database/sql: the Go counterpart of the
// instrumentation library's SQLAlchemy, MySQLdb and psycopg2 client hooks.
//
// It wraps a driver, so every statement executed through a *sql.DB becomes
// a client span, a child of the span active in the context passed to
// QueryContext, ExecContext, PrepareContext, BeginTx and the like:
//
//	db, err := tracesql.Open("postgres", dsn)
//	...
//	rows, err := db.QueryContext(ctx, "SELECT name FROM users WHERE id = $1", id)
//
// Spans are named after the statement's first keyword (SELECT, INSERT, …)
// and tagged with db.type, db.statement, db.instance, db.user and
// component. Bind arguments are never recorded, nor is the data source
// name: Open reads only the user and the database name from it, never its
// password. WithObfuscatedStatements replaces the statement's literals with
// "?" (see Obfuscate), for code that writes values into its SQL. Errors
// are recorded, except driver.ErrSkip, which is the driver's way of asking
// database/sql to take another path, and io.EOF.
//
// Calls that pass no context (Query, Exec) use context.Background and so
// start root spans; WithRequireParent leaves them untraced.
package tracesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
)

// Option configures the traced driver.
type Option func(*config)

type config struct {
	tracer        tracegen.Tracer
	instance      string
	requireParent bool
	maxStatement  int
	user          string
	obfuscate     bool
}

// WithTracer uses t instead of the global tracer.
func WithTracer(t tracegen.Tracer) Option {
	return func(c *config) {
		if t != nil {
			c.tracer = t
		}
	}
}

// WithInstance sets the db.instance tag, the database's name.
func WithInstance(name string) Option { return func(c *config) { c.instance = name } }

// WithUser sets the db.user tag, the user the connections log in as.
// Open sets it from the data source name.
func WithUser(name string) Option { return func(c *config) { c.user = name } }

// WithObfuscatedStatements records db.statement with its literals
// replaced by "?" (see Obfuscate).
func WithObfuscatedStatements() Option { return func(c *config) { c.obfuscate = true } }

// WithRequireParent traces a call only if its context carries a span.
func WithRequireParent() Option { return func(c *config) { c.requireParent = true } }

// WithMaxStatementLength truncates the db.statement tag to n bytes
// (default 4096; 0 leaves the statement out).
func WithMaxStatementLength(n int) Option { return func(c *config) { c.maxStatement = n } }

func newConfig(opts []Option) *config {
	c := &config{tracer: tracegen.GlobalTracer(), maxStatement: 4096}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Open opens a database like sql.Open, with every statement traced. The
// user and the database name in dataSourceName (a URL, key=value pairs or
// MySQL's user:password@tcp(host)/db) set db.user and db.instance, unless
// opts set them; nothing else of it is recorded.
func Open(driverName, dataSourceName string, opts ...Option) (*sql.DB, error) {
	if user, instance := dsnFacts(dataSourceName); user != "" || instance != "" {
		opts = append([]Option{WithUser(user), WithInstance(instance)}, opts...)
	}
	db, err := sql.Open(driverName, dataSourceName)
	if err != nil {
		return nil, err
	}
	d := db.Driver()
	if err := db.Close(); err != nil {
		return nil, err
	}
	if dc, ok := d.(driver.DriverContext); ok {
		c, err := dc.OpenConnector(dataSourceName)
		if err != nil {
			return nil, err
		}
		return sql.OpenDB(WrapConnector(c, opts...)), nil
	}
	return sql.OpenDB(dsnConnector{dsn: dataSourceName, driver: Wrap(d, opts...)}), nil
}

// Wrap returns a driver that traces every connection d opens.
func Wrap(d driver.Driver, opts ...Option) driver.Driver {
	return &tracedDriver{base: d, cfg: newConfig(opts)}
}

// WrapConnector returns a connector whose connections are traced.
func WrapConnector(c driver.Connector, opts ...Option) driver.Connector {
	cfg := newConfig(opts)
	return &tracedConnector{base: c, cfg: cfg, driver: &tracedDriver{base: c.Driver(), cfg: cfg}}
}

type tracedDriver struct {
	base driver.Driver
	cfg  *config
}

func (d *tracedDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	return &conn{base: c, cfg: d.cfg}, nil
}

type tracedConnector struct {
	base   driver.Connector
	cfg    *config
	driver driver.Driver
}

func (c *tracedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{base: cn, cfg: c.cfg}, nil
}

func (c *tracedConnector) Driver() driver.Driver { return c.driver }

// Close closes the wrapped connector if it is an io.Closer, as DB.Close
// would.
func (c *tracedConnector) Close() error {
	if cl, ok := c.base.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

type dsnConnector struct {
	dsn    string
	driver driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.driver }

// start begins a span for one call, or returns nil when the call is not
// traced.
func (c *config) start(ctx context.Context, op, query string) tracegen.Span {
	return c.startAt(ctx, op, query, time.Time{})
}

// traces reports whether a call with ctx is traced: not when
// WithRequireParent is set and ctx carries no span.
func (c *config) traces(ctx context.Context) bool {
	return !c.requireParent || tracegen.SpanFromContext(ctx) != nil
}

// startAt is start with the span's start time given; zero means now.
func (c *config) startAt(ctx context.Context, op, query string, at time.Time) tracegen.Span {
	if !c.traces(ctx) {
		return nil
	}
	parent := tracegen.SpanFromContext(ctx)
	o := tracegen.StartSpanOptions{StartTime: at}
	if parent != nil {
		o.Parent = parent.Context()
	}
	name := op
	if query != "" {
		name = verb(query)
	}
	span := fastpath.StartSpanWithOptions(c.tracer, name, o)
	span.SetTag("span.kind", "client")
	span.SetTag("component", "database/sql")
	span.SetTag("db.type", "sql")
	if c.instance != "" {
		span.SetTag("db.instance", c.instance)
	}
	if c.user != "" {
		span.SetTag("db.user", c.user)
	}
	if query != "" && c.maxStatement > 0 {
		if c.obfuscate {
			query = Obfuscate(query)
		}
		if len(query) > c.maxStatement {
			query = query[:c.maxStatement]
		}
		span.SetTag("db.statement", query)
	}
	return span
}

// finish ends span, recording err unless it is a control signal.
func finish(span tracegen.Span, err error) {
	if span == nil {
		return
	}
	if err != nil && !errors.Is(err, driver.ErrSkip) && !errors.Is(err, io.EOF) {
		tracegen.RecordError(span, err)
	}
	span.Finish()
}

// verb returns the statement's first keyword in upper case, or "sql".
func verb(query string) string {
	q := strings.TrimLeft(query, " \t\r\n(")
	end := strings.IndexAny(q, " \t\r\n(;")
	if end < 0 {
		end = len(q)
	}
	if end == 0 {
		return "sql"
	}
	return strings.ToUpper(q[:end])
}
