package org.meshfold.it.natlab;

/**
 * The nftables ruleset of one lab router. Interface {@code wan} faces the public network, bridge
 * {@code lan} the hosts behind the router.
 *
 * <p>Port-restricted is plain masquerading: Linux keeps the source port when it is free, so the
 * mapping is endpoint-independent, and conntrack only lets replies from the exact remote address
 * and port back in. Symmetric is masquerading with fully random ports, a new mapping per remote
 * endpoint. The two cone types that conntrack cannot express keep their own mapping tables, filled
 * from the packet path after source NAT: {@code lan_to_wan} (private address and port to public
 * address and port, reused for every later flow of that private endpoint), {@code wan_to_lan} (the
 * inverse, used to forward unsolicited inbound packets), and {@code contacted} (public port and
 * remote address, the address-restricted filter). Hairpinning forwards packets from the LAN to the
 * router's own public address through {@code wan_to_lan} and rewrites their source to the sender's
 * public mapping. Everything unsolicited is dropped, never rejected.
 *
 * <p>Addresses in the set {@code blocked} lose every UDP packet to or from them through the router
 * (a firewall cutting one route while others work); the drop comes before connection tracking, so
 * no mapping or conntrack entry is left behind and the route works at once when the address leaves
 * the set.
 */
final class NatRules {
    static final String TABLE = "natlab";
    /** Lifetime of an idle UDP mapping in the cone tables, like a typical home router. */
    private static final String MAPPING_TIMEOUT = "300s";

    private NatRules() {
    }

    static String ruleset(NatType type, String wanAddress, String lanCidr) {
        if (type == NatType.NONE) {
            throw new IllegalArgumentException("a NONE router does not exist: put the host on the public network");
        }
        boolean cone = type == NatType.FULL_CONE || type == NatType.ADDRESS_RESTRICTED;
        boolean keepsMapping = type != NatType.SYMMETRIC;
        StringBuilder s = new StringBuilder();
        s.append("table ip ").append(TABLE).append(" {\n");
        for (String map : new String[] {
                "map lan_to_wan { type ipv4_addr . inet_service : ipv4_addr . inet_service;",
                "map wan_to_lan { type inet_service : ipv4_addr . inet_service;",
                "set contacted { type inet_service . ipv4_addr;"}) {
            s.append("  ").append(map).append(" flags dynamic,timeout; timeout ").append(MAPPING_TIMEOUT).append("; }\n");
        }
        s.append("  set blocked { type ipv4_addr; }\n");
        s.append("  chain cut {\n    type filter hook prerouting priority raw; policy accept;\n");
        s.append("    meta l4proto udp ip saddr @blocked drop\n    meta l4proto udp ip daddr @blocked drop\n  }\n");
        s.append("  chain nat_pre {\n    type nat hook prerouting priority dstnat; policy accept;\n");
        if (type == NatType.FULL_CONE) {
            s.append("    iifname \"wan\" udp dport @wan_to_lan dnat ip to udp dport map @wan_to_lan\n");
        } else if (type == NatType.ADDRESS_RESTRICTED) {
            s.append("    iifname \"wan\" udp dport . ip saddr @contacted dnat ip to udp dport map @wan_to_lan\n");
        }
        s.append("    jump hairpin\n  }\n");
        s.append("  chain hairpin {\n  }\n");
        s.append("  chain nat_post {\n    type nat hook postrouting priority srcnat; policy accept;\n");
        // Hairpinned packets (DNATed back into the LAN) leave with the sender's public mapping.
        s.append("    oifname \"lan\" ip saddr ").append(lanCidr)
                .append(" ct status dnat ip saddr . udp sport @lan_to_wan snat ip to ip saddr . udp sport map @lan_to_wan\n");
        s.append("    oifname \"lan\" ip saddr ").append(lanCidr).append(" ct status dnat snat ip to ").append(wanAddress).append('\n');
        if (cone) {
            s.append("    oifname \"wan\" ip saddr . udp sport @lan_to_wan snat ip to ip saddr . udp sport map @lan_to_wan\n");
        }
        s.append("    oifname \"wan\" masquerade").append(type == NatType.SYMMETRIC ? " fully-random" : "").append('\n');
        s.append("  }\n");
        s.append("  chain record {\n    type filter hook postrouting priority srcnat + 1; policy accept;\n");
        String outbound = "    oifname \"wan\" ct direction original meta l4proto udp ";
        if (keepsMapping) {
            s.append(outbound).append("update @lan_to_wan { ct original ip saddr . ct original proto-src : ip saddr . udp sport }\n");
        }
        s.append(outbound).append("update @wan_to_lan { udp sport : ct original ip saddr . ct original proto-src }\n");
        s.append(outbound).append("update @contacted { udp sport . ip daddr }\n");
        s.append("  }\n");
        s.append("  chain forwarding {\n    type filter hook forward priority filter; policy drop;\n");
        if (type == NatType.UDP_BLOCKED) {
            s.append("    meta l4proto udp oifname \"wan\" drop\n");
        }
        s.append("    iifname \"lan\" accept\n");
        s.append("    ct state established,related accept\n");
        s.append("    ct status dnat accept\n  }\n");
        s.append("  chain to_router {\n    type filter hook input priority filter; policy drop;\n");
        s.append("    iifname \"lo\" accept\n    ct state established,related accept\n");
        s.append("    iifname \"lan\" icmp type echo-request accept\n  }\n");
        s.append("}\n");
        return s.toString();
    }

    /** Replaces the hairpin rule: with it, LAN packets to the router's public address reach the mapped host. */
    static String hairpin(boolean on, String wanAddress) {
        String flush = "flush chain ip " + TABLE + " hairpin\n";
        return on ? flush + "add rule ip " + TABLE + " hairpin iifname \"lan\" ip daddr " + wanAddress
                + " udp dport @wan_to_lan dnat ip to udp dport map @wan_to_lan\n" : flush;
    }

    /** Adds {@code address} to the blocked set, or removes it. */
    static String blockUdp(String address, boolean on) {
        return (on ? "add" : "delete") + " element ip " + TABLE + " blocked { " + address + " }\n";
    }

    /** Forgets every mapping, as a router reboot does (conntrack is flushed separately). */
    static String forgetMappings() {
        return "flush map ip " + TABLE + " lan_to_wan\nflush map ip " + TABLE + " wan_to_lan\n"
                + "flush set ip " + TABLE + " contacted\n";
    }
}
