package missing

import "context"

//trace:span
func Load(ctx context.Context, id string) error { // want `missing.Load: instrumentation missing \(//trace:span directive\); run tracegen`
	return nil
}

//trace:span kind=client
func Fetch(ctx context.Context) { // want `missing.Fetch: instrumentation missing`
}

func plain(ctx context.Context) {}
