// SPDX-License-Identifier: MIT
//
// cnidrv: a cnitool-like CNI client on Debian's libcni (1.1.2), for the
// lab's cni.sh: the plugin chain of a conflist run as a container runtime
// runs it, with libcni's result cache (CHECK and DEL get ADD's result as
// prevResult from it) and its version checks.
//
//	cnidrv add|check|del|validate CONFLIST NETNS CONTAINERID IFNAME [MAC]
//
// add prints the result JSON; any error goes to stderr, exit 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/containernetworking/cni/libcni"
)

func main() {
	if len(os.Args) < 6 {
		fmt.Fprintln(os.Stderr, "usage: cnidrv add|check|del|validate CONFLIST NETNS CONTAINERID IFNAME [MAC]")
		os.Exit(2)
	}
	verb, file := os.Args[1], os.Args[2]
	list, err := libcni.ConfListFromFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cnidrv:", err)
		os.Exit(1)
	}
	path := os.Getenv("CNI_PATH")
	if path == "" {
		path = "/opt/cni/bin"
	}
	cni := libcni.NewCNIConfigWithCacheDir([]string{path}, "/var/lib/cni/cache", nil)
	rt := &libcni.RuntimeConf{
		ContainerID: os.Args[4],
		NetNS:       os.Args[3],
		IfName:      os.Args[5],
	}
	if len(os.Args) > 6 {
		rt.CapabilityArgs = map[string]interface{}{"mac": os.Args[6]}
	}
	ctx := context.Background()
	switch verb {
	case "add":
		res, err := cni.AddNetworkList(ctx, list, rt)
		if err == nil {
			var out []byte
			out, err = json.Marshal(res)
			if err == nil {
				fmt.Println(string(out))
			}
		}
		exit(err)
	case "check":
		exit(cni.CheckNetworkList(ctx, list, rt))
	case "del":
		exit(cni.DelNetworkList(ctx, list, rt))
	case "validate":
		caps, err := cni.ValidateNetworkList(ctx, list)
		if err == nil {
			fmt.Println(caps)
		}
		exit(err)
	default:
		fmt.Fprintln(os.Stderr, "cnidrv: unknown verb", verb)
		os.Exit(2)
	}
}

func exit(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "cnidrv:", err)
		os.Exit(1)
	}
}
