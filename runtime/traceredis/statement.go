package traceredis

import (
	"fmt"
	"strconv"
	"strings"
)

// keySpec says which arguments of a command (after its name) are keys:
// the rest are values, recorded as "?" by default.
type keySpec uint8

const (
	keyNone      keySpec = iota // no keys: only the name (and subcommand)
	keyFirst                    // the first argument
	keyFirstTwo                 // the first two (RENAME, SMOVE, LMOVE ...)
	keyAll                      // every argument (MGET, DEL, EXISTS ...)
	keyAllButOne                // all but the last (BLPOP ... timeout)
	keyPairs                    // every other one from the first (MSET k v k v)
	keyNumkeys                  // a count then that many keys (EVAL script n k...)
	keyDestNum                  // a destination, a count, then keys (ZUNIONSTORE)
	keyNumFirst                 // a count first, then keys (ZUNION, ZDIFF, SINTERCARD, LMPOP)
	keyStreams                  // after STREAMS, the first half (XREAD, XREADGROUP)
	keySubcmd                   // a subcommand, recorded as is; no keys
)

// keySpecs are the key positions of the commands whose arguments are
// recorded. A command not listed records its name only: its arguments may
// be anything, secrets included.
var keySpecs = map[string]keySpec{}

func init() {
	for spec, names := range map[keySpec]string{
		keyFirst: "get set setnx setex psetex getset getdel getex append strlen incr incrby incrbyfloat decr decrby " +
			"getrange setrange getbit setbit bitcount bitpos bitfield expire pexpire expireat pexpireat ttl pttl " +
			"persist type dump restore hget hset hsetnx hmset hmget hdel hlen hkeys hvals hgetall hexists hincrby " +
			"hincrbyfloat hscan hstrlen hrandfield lpush rpush lpushx rpushx lpop rpop llen lrange lindex lset linsert " +
			"lrem ltrim lpos sadd srem smembers sismember smismember scard spop srandmember sscan zadd zrem zscore " +
			"zmscore zincrby zcard zcount zrange zrangebyscore zrevrange zrevrangebyscore zrank zrevrank zremrangebyrank " +
			"zremrangebyscore zscan zpopmin zpopmax zrandmember zlexcount zrangebylex geoadd geodist geohash geopos " +
			"geosearch georadius pfadd xadd xlen xrange xrevrange xdel xtrim xack xclaim xautoclaim xpending xsetid " +
			"expiretime pexpiretime object",
		keyFirstTwo:  "rename renamenx smove rpoplpush lmove brpoplpush blmove copy geosearchstore zrangestore",
		keyAll:       "mget del unlink exists touch watch sinter sunion sdiff pfcount pfmerge sinterstore sunionstore sdiffstore",
		keyAllButOne: "blpop brpop bzpopmin bzpopmax",
		keyPairs:     "mset msetnx",
		keyNumkeys:   "eval evalsha eval_ro evalsha_ro fcall fcall_ro",
		keyDestNum:   "zunionstore zinterstore zdiffstore",
		keyNumFirst:  "zunion zinter zdiff zintercard sintercard lmpop zmpop",
		keyStreams:   "xread xreadgroup",
		keySubcmd:    "client config cluster command memory xinfo xgroup script function acl latency slowlog pubsub module",
	} {
		for _, name := range strings.Fields(names) {
			keySpecs[name] = spec
		}
	}
}

// statement renders a command for db.statement: its name, then its keys,
// each value as "?". With full, every argument is written out, but
// credentials, which never are.
func statement(args []any, full bool) string {
	if len(args) == 0 {
		return ""
	}
	given := argString(args[0])
	name := strings.ToLower(given)
	var b strings.Builder
	b.WriteString(given)
	rest := args[1:]
	secret := secretArgs(name, rest)
	if full {
		for i, a := range rest {
			b.WriteByte(' ')
			if secret[i] {
				b.WriteByte('?')
			} else {
				b.WriteString(argString(a))
			}
		}
		return b.String()
	}
	keys := keyArgs(name, rest)
	for i, a := range rest {
		b.WriteByte(' ')
		if keys[i] && !secret[i] {
			b.WriteString(argString(a))
		} else {
			b.WriteByte('?')
		}
	}
	if keySpecs[name] == keyNone && len(rest) > 0 {
		// Nothing known of the arguments: not even how many.
		return given
	}
	return b.String()
}

// keyArgs marks the arguments (after the name) that are keys, or the
// subcommand of a container command.
func keyArgs(name string, rest []any) []bool {
	keys := make([]bool, len(rest))
	mark := func(i int) {
		if i >= 0 && i < len(keys) {
			keys[i] = true
		}
	}
	count := func(i int) int {
		if i >= len(rest) {
			return 0
		}
		n, err := strconv.Atoi(argString(rest[i]))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	switch keySpecs[name] {
	case keyFirst:
		mark(0)
	case keyFirstTwo:
		mark(0)
		mark(1)
	case keyAll:
		for i := range rest {
			mark(i)
		}
	case keyAllButOne:
		for i := range len(rest) - 1 {
			mark(i)
		}
	case keyPairs:
		for i := 0; i < len(rest); i += 2 {
			mark(i)
		}
	case keyNumkeys:
		for i := range count(1) {
			mark(2 + i)
		}
	case keyDestNum:
		mark(0)
		for i := range count(1) {
			mark(2 + i)
		}
	case keyNumFirst:
		for i := range count(0) {
			mark(1 + i)
		}
	case keyStreams:
		for i, a := range rest {
			if strings.EqualFold(argString(a), "streams") {
				n := (len(rest) - i - 1) / 2
				for j := range n {
					mark(i + 1 + j)
				}
				break
			}
		}
	case keySubcmd:
		mark(0)
	}
	return keys
}

// secretArgs marks the arguments (after the name) that are credentials:
// never recorded, whatever the options.
func secretArgs(name string, rest []any) []bool {
	secret := make([]bool, len(rest))
	all := func(from int) {
		for i := from; i < len(rest); i++ {
			secret[i] = true
		}
	}
	switch name {
	case "auth":
		all(0)
	case "hello", "migrate":
		// ... AUTH [username] password ..., and HELLO's SETNAME is not one.
		for i, a := range rest {
			if w := strings.ToLower(argString(a)); w == "auth" || w == "auth2" {
				n := 2
				if name == "migrate" && w == "auth" {
					n = 1
				}
				for j := 1; j <= n && i+j < len(rest); j++ {
					secret[i+j] = true
				}
			}
		}
	case "acl":
		if len(rest) > 0 && strings.EqualFold(argString(rest[0]), "setuser") {
			all(2) // the rules: passwords (>pw, #hash) among them
		}
	case "config":
		if len(rest) > 0 && strings.EqualFold(argString(rest[0]), "set") {
			all(2) // values, requirepass and masterauth among them
		}
	}
	return secret
}

// argString writes an argument as redis-cli would show it.
func argString(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	default:
		return strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(v), "\n", " "))
	}
}
