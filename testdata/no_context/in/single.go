package root

import "fmt"

//trace:span root tags=msg
func Print(msg string) { fmt.Println(msg) }
