/// Evidence recorded from real `tcplab watch --port 7777 --json -- /usr/bin/python3 PROGRAM` runs
/// on Linux 6.18 (a private network namespace, strace 6.x): the segments and the program's calls
/// (execve steps left out). The programs are those of WatchExplanationTests' comments.
enum WatchRecordings {
    static let unread = """
        {"segments": [
        {"analysis":[],"annotation":"SYN","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":"S","length":0,"milliseconds":0,"number":1,"options":["mss 65495","sackOK","TS val 4254602040 ecr 0","wscale 10"],"sequence":0,"sequenceText":"0","source":"127.0.0.1:49324","time":1795990850062556,"window":65495},
        {"acknowledgment":1,"analysis":[],"annotation":"SYN-ACK","connection":1,"destination":"127.0.0.1:49324","direction":"server > client","flags":"S.","length":0,"milliseconds":0.016,"number":2,"options":["mss 65495","sackOK","TS val 1698836063 ecr 4254602040","wscale 10"],"sequence":0,"sequenceText":"0","source":"127.0.0.1:7777","time":1795990850062572,"window":65483},
        {"acknowledgment":1,"analysis":[],"annotation":"handshake done","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":".","length":0,"milliseconds":0.032,"number":3,"options":[],"sequence":1,"sequenceText":"1","source":"127.0.0.1:49324","time":1795990850062588,"window":64},
        {"acknowledgment":1,"analysis":[],"annotation":"","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":"P.","length":4,"milliseconds":1.755,"number":4,"options":[],"payloadPreview":"\\"hehe\\"","sequence":1,"sequenceText":"1:5","source":"127.0.0.1:49324","time":1795990850064311,"window":64},
        {"acknowledgment":5,"analysis":[],"annotation":"ACK = 1 + 4 bytes","connection":1,"destination":"127.0.0.1:49324","direction":"server > client","flags":".","length":0,"milliseconds":1.765,"number":5,"options":[],"sequence":1,"sequenceText":"1","source":"127.0.0.1:7777","time":1795990850064321,"window":64},
        {"acknowledgment":5,"analysis":[],"annotation":"RST: server's kernel resets the connection","connection":1,"destination":"127.0.0.1:49324","direction":"server > client","flags":"R.","length":0,"milliseconds":1.843,"number":6,"options":[],"sequence":1,"sequenceText":"1","source":"127.0.0.1:7777","time":1795990850064399,"window":64}
        ], "calls": [
        {"began":1795990850055948,"call":"socket","ended":1795990850056024,"isNote":false,"returnValue":3,"role":"pid 14375","text":"socket()"},
        {"began":1795990850056209,"call":"bind","ended":1795990850056242,"isNote":false,"returnValue":0,"role":"pid 14375","text":"bind(127.0.0.1:7777)"},
        {"began":1795990850056448,"call":"listen","ended":1795990850056458,"isNote":false,"returnValue":0,"role":"pid 14375","text":"listen(1)"},
        {"began":1795990850062294,"call":"socket","ended":1795990850062347,"isNote":false,"returnValue":4,"role":"pid 14375","text":"socket()"},
        {"began":1795990850062470,"call":"connect","ended":1795990850063248,"isNote":false,"returnValue":0,"role":"pid 14375","text":"connect(127.0.0.1:7777)"},
        {"began":1795990850064121,"call":"accept","ended":1795990850064138,"isNote":false,"returnValue":5,"role":"pid 14375","text":"accept()"},
        {"began":1795990850064215,"call":"send","ended":1795990850064251,"isNote":false,"returnValue":4,"role":"pid 14375","text":"send(\\"hehe\\")"},
        {"began":1795990850064385,"call":"close","ended":1795990850064413,"isNote":false,"returnValue":0,"role":"pid 14375","text":"close(5)"},
        {"began":1795990850064677,"call":"recv","ended":1795990850064686,"errno":104,"isNote":false,"role":"pid 14375","text":"recv()"},
        {"began":1795990850064830,"call":"close","ended":1795990850064841,"isNote":false,"returnValue":0,"role":"pid 14375","text":"close(4)"},
        {"began":1795990850064857,"call":"close","ended":1795990850064868,"isNote":false,"returnValue":0,"role":"pid 14375","text":"close(3)"},
        {"began":1795990850069097,"call":"exit","isNote":true,"role":"pid 14375","text":"exited with status 0"}
        ]}
        """

    static let pipe = """
        {"segments": [
        {"analysis":[],"annotation":"SYN","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":"S","length":0,"milliseconds":0,"number":1,"options":["mss 65495","sackOK","TS val 3279158233 ecr 0","wscale 10"],"sequence":0,"sequenceText":"0","source":"127.0.0.1:49342","time":1795990850478452,"window":65495},
        {"acknowledgment":1,"analysis":[],"annotation":"SYN-ACK","connection":1,"destination":"127.0.0.1:49342","direction":"server > client","flags":"S.","length":0,"milliseconds":0.016,"number":2,"options":["mss 65495","sackOK","TS val 2233953395 ecr 3279158233","wscale 10"],"sequence":0,"sequenceText":"0","source":"127.0.0.1:7777","time":1795990850478468,"window":65483},
        {"acknowledgment":1,"analysis":[],"annotation":"handshake done","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":".","length":0,"milliseconds":0.032,"number":3,"options":[],"sequence":1,"sequenceText":"1","source":"127.0.0.1:49342","time":1795990850478484,"window":64},
        {"acknowledgment":1,"analysis":[],"annotation":"FIN: server closes its side","connection":1,"destination":"127.0.0.1:49342","direction":"server > client","flags":"F.","length":0,"milliseconds":1.809,"number":4,"options":[],"sequence":1,"sequenceText":"1","source":"127.0.0.1:7777","time":1795990850480261,"window":64},
        {"acknowledgment":2,"analysis":[],"annotation":"","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":"P.","length":4,"milliseconds":2.082,"number":5,"options":[],"payloadPreview":"\\"hehe\\"","sequence":1,"sequenceText":"1:5","source":"127.0.0.1:49342","time":1795990850480534,"window":64},
        {"analysis":[],"annotation":"RST: data for a socket nobody holds (server had closed)","connection":1,"destination":"127.0.0.1:49342","direction":"server > client","flags":"R","length":0,"milliseconds":2.103,"number":6,"options":[],"sequence":2,"sequenceText":"2","source":"127.0.0.1:7777","time":1795990850480555,"window":0}
        ], "calls": [
        {"began":1795990850471945,"call":"socket","ended":1795990850471973,"isNote":false,"returnValue":3,"role":"pid 14398","text":"socket()"},
        {"began":1795990850472236,"call":"bind","ended":1795990850472252,"isNote":false,"returnValue":0,"role":"pid 14398","text":"bind(127.0.0.1:7777)"},
        {"began":1795990850472463,"call":"listen","ended":1795990850472472,"isNote":false,"returnValue":0,"role":"pid 14398","text":"listen(1)"},
        {"began":1795990850478141,"call":"socket","ended":1795990850478240,"isNote":false,"returnValue":4,"role":"pid 14398","text":"socket()"},
        {"began":1795990850478370,"call":"connect","ended":1795990850479857,"isNote":false,"returnValue":0,"role":"pid 14398","text":"connect(127.0.0.1:7777)"},
        {"began":1795990850480034,"call":"accept","ended":1795990850480063,"isNote":false,"returnValue":5,"role":"pid 14398","text":"accept()"},
        {"began":1795990850480225,"call":"close","ended":1795990850480275,"isNote":false,"returnValue":0,"role":"pid 14398","text":"close(5)"},
        {"began":1795990850480333,"call":"recv","data":"","ended":1795990850480355,"isNote":false,"returnValue":0,"role":"pid 14398","text":"recv()"},
        {"began":1795990850480505,"call":"send","ended":1795990850480563,"isNote":false,"returnValue":4,"role":"pid 14398","text":"send(\\"hehe\\")"},
        {"began":1795990850480639,"call":"send","ended":1795990850480660,"errno":32,"isNote":false,"role":"pid 14398","text":"send(\\"wawa\\")"},
        {"began":1795990850480699,"call":"signal","isNote":true,"role":"pid 14398","text":"received SIGPIPE"},
        {"began":1795990850480809,"call":"close","ended":1795990850480820,"isNote":false,"returnValue":0,"role":"pid 14398","text":"close(4)"},
        {"began":1795990850480834,"call":"close","ended":1795990850480844,"isNote":false,"returnValue":0,"role":"pid 14398","text":"close(3)"},
        {"began":1795990850489210,"call":"exit","isNote":true,"role":"pid 14398","text":"exited with status 0"}
        ]}
        """

    static let refused = """
        {"segments": [
        {"analysis":[],"annotation":"SYN","connection":1,"destination":"127.0.0.1:7777","direction":"client > server","flags":"S","length":0,"milliseconds":0,"number":1,"options":["mss 65495","sackOK","TS val 2611852255 ecr 0","wscale 10"],"sequence":0,"sequenceText":"0","source":"127.0.0.1:49354","time":1795990850941895,"window":65495},
        {"acknowledgment":1,"analysis":[],"annotation":"RST-ACK: nobody listens on port 7777 (connection refused)","connection":1,"destination":"127.0.0.1:49354","direction":"server > client","flags":"R.","length":0,"milliseconds":0.014,"number":2,"options":[],"sequence":0,"sequenceText":"0","source":"127.0.0.1:7777","time":1795990850941909,"window":0}
        ], "calls": [
        {"began":1795990850941614,"call":"socket","ended":1795990850941638,"isNote":false,"returnValue":3,"role":"pid 14433","text":"socket()"},
        {"began":1795990850941791,"call":"connect","ended":1795990850942222,"errno":111,"isNote":false,"role":"pid 14433","text":"connect(127.0.0.1:7777)"},
        {"began":1795990850943684,"call":"close","ended":1795990850943725,"isNote":false,"returnValue":0,"role":"pid 14433","text":"close(3)"},
        {"began":1795990850953919,"call":"exit","isNote":true,"role":"pid 14433","text":"exited with status 0"}
        ]}
        """

}
