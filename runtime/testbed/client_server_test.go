package testbed

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/ext"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// message is what the client sends the server: a payload and the sender's
// span context in the TextMap format, as a message queue's headers would
// carry it.
type message struct {
	body    string
	headers tracegen.TextMapCarrier
}

// server processes messages from a channel in its own goroutine. A context
// cannot cross the channel, so the trace crosses in the message.
type server struct {
	tracer tracegen.Tracer
	inbox  <-chan message
}

func (s server) serve(done chan<- struct{}) {
	defer close(done)
	for msg := range s.inbox {
		s.process(msg)
	}
}

func (s server) process(msg message) {
	// A message without a span context starts a new trace: Extract's
	// error leaves sc nil, which RPCServerOption ignores.
	sc, _ := s.tracer.Extract(tracegen.TextMap, msg.headers)
	span := s.tracer.StartSpan("receive", ext.RPCServerOption(sc))
	defer span.Finish()
	span.SetTag("message", msg.body)
}

// client sends messages to the server.
type client struct {
	tracer tracegen.Tracer
	outbox chan<- message
}

func (c client) send(ctx context.Context, body string) error {
	span, _ := tracegen.StartSpanFromContextWithTracer(ctx, c.tracer, "send", ext.SpanKindRPCClient)
	defer span.Finish()
	msg := message{body: body, headers: tracegen.TextMapCarrier{}}
	if err := c.tracer.Inject(span.Context(), tracegen.TextMap, msg.headers); err != nil {
		return err
	}
	c.outbox <- msg
	return nil
}

func TestClientServer(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()
	queue := make(chan message)
	done := make(chan struct{})
	go server{tracer: tr, inbox: queue}.serve(done)

	c := client{tracer: tr, outbox: queue}
	if err := c.send(context.Background(), "hello"); err != nil {
		t.Fatal(err)
	}
	close(queue)
	wait(t, done, "the server")

	spans := tr.FinishedSpans()
	want := "send span.kind=client\n" +
		"  receive message=hello span.kind=server\n"
	if diff := deep.Diff(want, spanTree(spans)); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
	if n := traces(spans); n != 1 {
		t.Errorf("spans belong to %d traces, want 1", n)
	}
}
