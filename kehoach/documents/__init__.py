"""Official documents (văn bản hành chính) in the Nghị định 30/2020/NĐ-CP format.

``nd30.Nd30Document`` is the one DOCX builder: it knows every font, size and margin of ND30, so
no caller sets any. ``letters`` builds concrete documents on top of it (the reminder letter,
"Công văn đôn đốc").
"""
