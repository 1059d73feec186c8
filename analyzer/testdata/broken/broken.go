package broken

import (
	"context"
	"net/http"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

func save(ctx context.Context, v string) error { return nil }

func logf(format string, args ...any) {}

//trace:span
func Handle(ctx context.Context, v string) (tracegenErr error) {
	defer tracegen.Start(&ctx, "broken.Handle").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	if err := save(context.Background(), v); err != nil {         // want `context.Background\(\) breaks the trace of Handle: its spans start a new trace; pass ctx`
		return err
	}
	go func() {
		_ = save(context.TODO(), v) // want `context.TODO\(\) breaks the trace of Handle`
	}()
	{
		ctx := context.Background()
		_ = save(ctx, v)
	}
	logf("%v", context.Background())
	return nil
}

//trace:span
func Serve(w http.ResponseWriter, r *http.Request) {
	defer tracegen.StartRequest(&r, "broken.Serve").End(nil) //tracegen:generated
	_ = save(context.Background(), "x")                      // want `pass r.Context\(\)`
}

func untraced(ctx context.Context) { _ = save(context.Background(), "") }
