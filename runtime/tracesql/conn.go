package tracesql

import (
	"context"
	"database/sql/driver"
)

// conn wraps a driver connection. It implements every optional interface
// database/sql looks for, falling back with driver.ErrSkip (or the neutral
// answer) when the wrapped connection lacks one, which database/sql treats
// as "not implemented".
type conn struct {
	base driver.Conn
	cfg  *config
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	span := c.cfg.start(ctx, "prepare", "")
	var (
		s   driver.Stmt
		err error
	)
	if pc, ok := c.base.(driver.ConnPrepareContext); ok {
		s, err = pc.PrepareContext(ctx, query)
	} else {
		s, err = c.base.Prepare(query)
	}
	finish(span, err)
	if err != nil {
		return nil, err
	}
	return &stmt{base: s, query: query, cfg: c.cfg}, nil
}

func (c *conn) Close() error { return c.base.Close() }

// Begin is the pre-context method; database/sql calls BeginTx.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	span := c.cfg.start(ctx, "BEGIN", "")
	var (
		tx  driver.Tx
		err error
	)
	if bt, ok := c.base.(driver.ConnBeginTx); ok {
		tx, err = bt.BeginTx(ctx, opts)
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		tx, err = c.base.Begin()
	}
	finish(span, err)
	if err != nil {
		return nil, err
	}
	return &transaction{base: tx, ctx: ctx, cfg: c.cfg}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.base.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	span := c.cfg.start(ctx, "query", query)
	rows, err := q.QueryContext(ctx, query, args)
	finish(span, err)
	return rows, err
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.base.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	span := c.cfg.start(ctx, "exec", query)
	res, err := e.ExecContext(ctx, query, args)
	finish(span, err)
	return res, err
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.base.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.base.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.base.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.base.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type transaction struct {
	base driver.Tx
	ctx  context.Context
	cfg  *config
}

func (t *transaction) Commit() error {
	span := t.cfg.start(t.ctx, "COMMIT", "")
	err := t.base.Commit()
	finish(span, err)
	return err
}

func (t *transaction) Rollback() error {
	span := t.cfg.start(t.ctx, "ROLLBACK", "")
	err := t.base.Rollback()
	finish(span, err)
	return err
}

type stmt struct {
	base  driver.Stmt
	query string
	cfg   *config
}

var (
	_ driver.StmtExecContext   = (*stmt)(nil)
	_ driver.StmtQueryContext  = (*stmt)(nil)
	_ driver.NamedValueChecker = (*stmt)(nil)
)

func (s *stmt) Close() error  { return s.base.Close() }
func (s *stmt) NumInput() int { return s.base.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	span := s.cfg.start(ctx, "exec", s.query)
	var (
		res driver.Result
		err error
	)
	if e, ok := s.base.(driver.StmtExecContext); ok {
		res, err = e.ExecContext(ctx, args)
	} else if vals, verr := values(args); verr != nil {
		err = verr
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		res, err = s.base.Exec(vals)
	}
	finish(span, err)
	return res, err
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	span := s.cfg.start(ctx, "query", s.query)
	var (
		rows driver.Rows
		err  error
	)
	if q, ok := s.base.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else if vals, verr := values(args); verr != nil {
		err = verr
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		rows, err = s.base.Query(vals)
	}
	finish(span, err)
	return rows, err
}

func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.base.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// errNamedArgs is returned when named arguments reach a driver that only
// takes positional ones, as database/sql itself would report.
type errNamedArgs struct{}

func (errNamedArgs) Error() string { return "sql: driver does not support the use of Named Parameters" }

func values(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errNamedArgs{}
		}
		out[i] = a.Value
	}
	return out, nil
}
