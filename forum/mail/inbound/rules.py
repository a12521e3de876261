"""Every rule of our own for recognising quoted history, signatures and disclaimers, in one place.

mail-parser-reply (see trim.py) does the bulk of the work; these rules cover what it misses on the shared
fixtures and the project's own: quote headers in languages it does not know (Finnish, Russian, Ukrainian,
Portuguese, Norwegian, Hungarian...), headers wrapped over several lines, Outlook's header block and
dividers, forwarded-message markers, mobile signatures and mail disclaimers. Each rule has a test per
client style in tests/mail/inbound/test_trim.py.
"""

import re

# "On <date>, <name> wrote:" and its translations: the verb that ends a quote header.
WROTE = (
    r"wrote|writes|escribió|escribio|a écrit|a ecrit|écrit|schrieb|schreef|scrisse|ha scritto|skrev|"
    r"kirjoitti|napisał\(a\)|napisał|napisal|napisała|geschreven|написал|написала|написал\(а\)|пише|написав|написала|escreveu|"
    r"írta|wrote\s+the\s+following|写道|寫道|님이 작성|작성|のメッセージ|schreef het volgende|kirjutas|"
    r"ha escrit|escrit|pisze|skriver"
)
# The verb, then a colon (Zoho: "---- On ... wrote ----"); German Gmail puts the date after it:
# "X <x@example.de> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:".
QUOTE_HEADER_VERB = re.compile(
    rf"(?:^|[\s>»\"，,])(?:{WROTE})(?:\s*[:：]|\s+-{{2,}}|\s+(?:am|le|el|il|op|den)\b.{{0,80}}\d.{{0,40}}:)\s*$",
    re.IGNORECASE,
)

# How a quote header starts: "On <date>", its translations, or a date.
QUOTE_HEADER_START = re.compile(
    r"^\s*(?:>\s*)?(?:(?:On|Le|Am|El|Em|Il|Op|Den|På|Dnia|W dniu|Dne|Pe|В)\s+(?:[^\s\d]+,?\s+){0,3}\d|"
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:ma|ti|ke|to|pe|la|su)\s+\d{1,2}\.\d{1,2}\.\d{4}|"
    r"\d{1,2}\.?\s+\w+\.?\s+\d{4}|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+\w+\s+\d|"
    r"(?:ma|ti|ke|to|pe|la|su)\s+\d{1,2}\.\s*\w+\s+\d{4})",
)
# A quote header without "On" and without a verb, which many clients write in every language:
# '30.09.2017, 18.30, "John" <john@example.com>:', 'ср, 30 апр. 2025 г. в 15:19, John <john@example.ru>:'
# (an address closing the line with a colon, and a date or time on the way).
ADDRESS_COLON_HEADER = re.compile(
    r"^(?=.*(?:\d{1,2}[:.]\d{2}|\d{4})).{0,200}@[^\s<>]+(?:\s*\]\([^)]*\))?\s*>?\s*\S{0,4}\s*[:：]\s*$"
)
# Without a colon, the verb ends a header only after a recognisable start ("On <date> ... wrote").
QUOTE_HEADER_VERB_BARE = re.compile(rf"(?:^|\s)(?:{WROTE})\s*$", re.IGNORECASE)
# Finnish (Gmail, Outlook): "ti 3.12.2026 klo 10.00 Matti Meikäläinen (<matti@example.fi>) kirjoitti:"
FINNISH_QUOTE_HEADER = re.compile(
    r"^\s*(?:ma|ti|ke|to|pe|la|su)\s+\d{1,2}\.\d{1,2}\.\d{4}\s+klo\s+\d{1,2}[.:]\d{2}\b.*kirjoitti:?\s*$",
    re.IGNORECASE,
)
# A bare "2014-03-20 8:48 GMT+01:00 Name <addr>:" (old Gmail), or "<date> <addr>:" in any language.
DATED_ADDRESS_HEADER = re.compile(
    r"^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}\s+(?:.*<[^>]*@[^>]*>\s*:?|\d{1,2}:\d{2}\s+GMT[+-]\d{1,2}:?\d{2}\s.*|.*<)\s*$"
)

# Dividers that introduce an earlier message.
DIVIDERS = re.compile(
    r"^\s*[-_=*]*\s*(?:original message|ursprüngliche nachricht|message d'origine|message original|"
    r"oprindelig meddelelse|oprindelig besked|opprinnelig melding|alkuperäinen viesti|mensaje original|mensagem original|"
    r"messaggio originale|oorspronkelijk bericht|originalmeddelande|ursprungligt meddelande|"
    r"исходное сообщение|первоначальное сообщение|оригінальне повідомлення|wiadomość oryginalna|"
    r"oryginalna wiadomość|původní zpráva|eredeti üzenet|原始邮件|原始郵件|"
    r"forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|"
    r"välitetty viesti|doorgestuurd bericht|videresendt meddelelse|vidarebefordrat meddelande|"
    r"пересылаемое сообщение|begin forwarded message|inizio messaggio inoltrato|"
    r"début du message réexpédié|anfang der weitergeleiteten nachricht|reply above this line|"
    r"reply to this email directly|you are receiving this because)\s*:?\s*[-_=*]*\s*$",
    re.IGNORECASE,
)
# Outlook's separator line (desktop plain text and Outlook on the web): a line of underscores.
UNDERSCORE_LINE = re.compile(r"^\s*(?:_{4,}|-{4,}|={4,})\s*$")

# The first line of Outlook's header block ("From: / Sent: / To: / Subject:") in the languages we meet...
HEADER_BLOCK_FROM = re.compile(
    r"^\s*[*>\s]*(?:from|von|de|da|van|fra|från|od|от|від|lähettäjä|feladó|message du|发件人|寄件者|差出人)\s*:?\s*[*]*\s*:?\s*\S",
    re.IGNORECASE,
)
# ...and the lines that follow it within a few lines.
HEADER_BLOCK_FIELD = re.compile(
    r"^\s*[*>\s]*(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|date|à|objet|sujet|copie à|"
    r"enviado|fecha|para|asunto|inviato|data|a|oggetto|verzonden|aan|onderwerp|sendt|til|emne|"
    r"skickat|till|ämne|wysłano|do|temat|отправлено|дата|кому|тема|надіслано|lähetetty|päivämäärä|"
    r"vastaanottaja|aihe|elküldve|címzett|tárgy|发送时间|收件人|主题|寄件日期|收件者|主旨|送信日時|宛先|件名)"
    r"\s*:?\s*[*]*\s*:",
    re.IGNORECASE,
)

# Signatures: the RFC 3676 delimiter, and what phones and mail apps append.
SIGNATURE_DELIMITER = re.compile(r"^(?:--|-- |—|__)\s*$")
MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:envoyé à partir de [\w\s-]{2,40}|obtenir outlook pour [\w\s-]{2,20}|"
    r"sent (?:from|with|via) (?:my )?[\w\s'’.-]{2,40}|envoyé depuis mon [\w\s-]{2,30}|"
    r"diese nachricht wurde von meinem [\w\s-]{2,60} gesendet|sent from my [\w\s'’-]{2,40}|sent from (?:outlook|yahoo mail|mail for windows|samsung mobile|"
    r"my mobile)[\w\s.-]*|sent with [\w\s]{2,30}|sent via [\w\s]{2,30}|get outlook for (?:ios|android)|"
    r"sent from (?:an? )?(?:iphone|ipad|android|mobile)[\w\s]*|von meinem [\w\s-]{2,30} gesendet|"
    r"gesendet von [\w\s]{2,30}|envoyé de mon [\w\s-]{2,30}|enviado desde mi [\w\s-]{2,30}|"
    r"enviado do meu [\w\s-]{2,30}|inviato da(l mio)? [\w\s-]{2,30}|verzonden (?:vanaf|met) (?:mijn )?[\w\s-]{2,30}|"
    r"skickat från min [\w\s-]{2,30}|sendt fra min [\w\s-]{2,30}|lähetetty (?:iphonesta|ipadista|"
    r"android-laitteesta|puhelimesta|[\w-]+sta)|отправлено с [\w\s-]{2,30}|wysłane z [\w\s'-]{2,30})\.?"
    r"(?:\s*<[^>]+>|\s*\([^)]+\))?\s*$",
    re.IGNORECASE,
)

# Disclaimers and banners mail systems add above or below what the member wrote.
DISCLAIMER = re.compile(
    r"^\s*\**\s*(?:caution|external email|\[external\]|warning)\s*:?\s*\**\s*:?\s*(?:this|the)?\s*(?:e-?mail|message)"
    r"\s+(?:originated|was sent|came) from outside|"
    r"^\s*(?:this (?:e-?mail|message)(?: and any (?:files|attachments)[\w\s]*)?\s+(?:is|are|may be) "
    r"(?:confidential|intended (?:solely|only))|confidentiality notice|disclaimer\s*:|"
    r"the information (?:contained )?in this (?:e-?mail|message|communication)[\w\s,]* (?:is|may be) "
    r"(?:confidential|privileged|intended))",
    re.IGNORECASE,
)

# Invisible characters that split words for the rules above (U+1427 is the mark a Gmail tracking
# extension appends).
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u1427]")
