import Testing
@testable import TCPLabKit

/// The drop rules as `nft -f -` reads them, and the one-line errors before nft ever runs.
@Suite struct NftRulesetTests {
    @Test func aPayloadPrefixDropIsOneRuleWithItsOwnCounter() {
        let rules = NftRuleset([.init([.destinationPort(7777), .payloadPrefix("seg3")], count: 1, why: "burst segment 3, once")])
        #expect(rules.text == """
            add table inet tcplab
            add chain inet tcplab input { type filter hook input priority 0; policy accept; }
            add rule inet tcplab input tcp dport 7777 @ih,0,32 0x73656733 numgen inc mod 1000000 < 1 drop comment "burst segment 3, once"

            """)
    }

    @Test func aConnectionRequestIsASYNWithoutACK() {
        let drop = NftRuleset.Drop([.destinationPort(80), .connectionRequest], count: 2, why: "the \"first\" SYNs")
        #expect(drop.text == #"tcp dport 80 tcp flags & (syn | ack) == syn numgen inc mod 1000000 < 2 drop comment "the 'first' SYNs""#)
    }

    @Test func aVanishedHostDropsEverythingToAndFromItsPortWithoutACounter() {
        #expect(Keepalive.vanishing(port: 7777).text == """
            add table inet tcplab
            add chain inet tcplab input { type filter hook input priority 0; policy accept; }
            add rule inet tcplab input tcp dport 7777 drop comment "to the vanished server"
            add rule inet tcplab input tcp sport 7777 drop comment "from the vanished server"

            """)
    }

    @Test func theHostLoopbackIsRefused() {
        #expect {
            try NftRuleset([]).apply(isolation: .hostLoopback(reason: "test"), nft: "/usr/sbin/nft")
        } throws: { error in
            guard case LabError.usage(let message) = error as? LabError ?? .usage("") else { return false }
            return message.contains("only inside the run's own network namespace")
        }
    }

    @Test func aMissingNftSaysWhatToInstall() {
        #expect {
            try NftRuleset([]).apply(isolation: .privateNamespace, nft: nil)
        } throws: { error in
            "\(error)" == "nft (nftables) is needed to drop segments and was not found in the PATH, /usr/sbin or /sbin; install it: apt-get install nftables"
        }
    }
}
