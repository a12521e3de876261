"""Demo topics in the Workshops category: one thread per workshop. The launch's peer challenge thread is
long on purpose, so that the demo shows a topic over several pages."""

from forum.demo.content import P, TopicSpec

LAUNCH_PEER_CHALLENGE = TopicSpec("workshops", "The launch: peer challenge thread", 42, 9, (
    P("ruth", """
        Thank you all for a lively launch! We ran out of time for the peer challenge, so let's continue it
        here. As a reminder, each team gave a three-minute pitch:

        - **EDUFI:** learning cycles with vocational teachers and students in Jyväskylä and Tampere, and the
          national agency holding colleges to account through learning conversations.
        - **HIS / PHS:** replacing dashboard-led reviews in a care home collaborative with conversations about
          what matters to residents and staff.
        - **Plymouth:** a discretionary budget and the authority to use it for family hub workers.

        **How this works:** one challenge question per post, addressed to one team. Reply to the post you're
        answering, so the threads stay readable. Answers like "we don't know yet" are welcome.
        """),
    P("marcus", """
        Some question stems if you're stuck:

        - *What would have to be true for…*
        - *Whose voice is missing from…*
        - *What will you stop doing so that…*
        - *How will you know if you're wrong about…*
        """, 1),
    P("fiona.m", """
        **To EDUFI:** you said the colleges will "own" the learning cycles. Who asked for this experiment:
        the colleges, or EDUFI?
        """, 1),
    P("aino", """
        EDUFI did. That's the honest answer. But both colleges said yes within a week, and the Jyväskylä
        teachers had been asking for "less paperwork, more conversation" for years.
        """, 3),
    P("david.r", """
        Saying yes to your national agency isn't quite the same as wanting something. How will you tell the
        difference?
        """, 4, "both colleges said yes within a week"),
    P("liisa", """
        I will ask the teachers, and they will tell me. People in Jyväskylä are very direct, especially with
        a former colleague. 🙂
        """, 5),
    P("callum", """
        Could a team say no later, at no cost to them? That's the real test of whether it's voluntary.
        """, 6),
    P("aino", """
        Good point. We'll write it into the plan: any team can stop after cycle 1, no explanation needed, no
        effect on anything else.
        """, 7),
    P("jess.w", """
        **To HIS / PHS:** six people, two organisations, fourteen care homes. Who makes the decisions in
        your experiment, and how fast?
        """, 1),
    P("fiona.m", """
        Slowly, at the moment. We've been meeting weekly as six and agreeing everything together, which is
        lovely and not fast.
        """, 9),
    P("marcus", """
        What would it take for the people in the homes to make more of the decisions than you do?
        """, 10),
    P("morag", "That's the experiment, really, isn't it? We just hadn't said it out loud.", 11),
    P("tom.b", """
        **To HIS:** Callum said the dashboard is used by a board. Will the board let you stop using it?
        """, 1),
    P("callum", """
        We won't stop producing it, at least not yet. We'll stop running our conversations with the homes
        from it. That part is in our gift.
        """, 13),
    P("amara", "Does anyone on the board know the experiment exists?", 14),
    P("callum", "Now that you ask… one member. I'll brief the chair before the next meeting.", 15),
    P("ishbel", "I'll come with you. PHS sits on the same group, and it helps if it's both of us.", 16),
    P("mikko.k", """
        **To Plymouth:** a budget without a form is a lovely idea. What stops it becoming another form in six
        months?
        """, 1),
    P("jess.w", """
        Nothing, except us noticing. Which is one reason we're here: we want critical friends who'll tell
        us when the form is creeping back.
        """, 18),
    P("amara", "And me resisting the urge to add \"just one more field\". I know my weaknesses.", 19),
    P("priya", """
        **To Plymouth:** whose learning are you tracking — the workers', the families', or the council's?
        """, 1),
    P("tom.b", """
        Workers' first, I think. We'll write short logs about what we did and why. The council's learning
        is Jess and Amara's job.
        """, 21),
    P("priya", """
        Families would be the first to notice if it went wrong, though. Could they be part of the logs
        somehow?
        """, 22),
    P("jess.w", "Agreed. We'll add a question for families at the end of each month. Thank you, Priya.", 23),
    P("jussi.h", """
        **To HIS / PHS:** you asked the care homes to change how they work. What will the national bodies
        stop doing?
        """, 1),
    P("david.r", "Good question. I don't know yet.", 25),
    P("ruth", """
        "I don't know yet" is exactly the right answer at a launch. Put it in your first learning log, and
        let's come back to it at the deep dive.
        """, 26),
    P("ishbel", """
        **To EDUFI:** performance funding rewards completions. Can you protect the experiment from it, or
        will the teachers feel watched anyway?
        """, 1),
    P("jussi.h", """
        We'll try. I'll ask the ministry whether the experiment groups' data can stay out of the
        performance part for this year. No promises.
        """, 28),
    P("marcus", """
        A pattern I'm noticing: the local team (Plymouth) is being asked about *risk*, and the national teams
        about *control*: whether they'll let go. Is that fair?
        """, 1),
    P("amara", """
        Speaking from the local side: we get asked about risk because we have the least room to absorb it.
        If something goes wrong, it's our name in the Plymouth Herald.
        """, 30),
    P("mikko.k", """
        In Finland the national agency is also "local" to the ministry above it. Everyone has a centre above
        them, and everyone is somebody else's centre.
        """, 30),
    P("ruth", """
        That's a theme for the deep dive if ever I saw one. Stewardship might look different depending on
        where you sit.
        """, 32, "Everyone has a centre above them, and everyone is somebody else's centre."),
    P("morag", "**To Plymouth:** what will you count as failure?", 1),
    P("tom.b", """
        If workers stop using the budget because they're scared of getting it wrong. That would mean the
        trust wasn't real.
        """, 34),
    P("callum", """
        That's a much better definition of failure than ours ("the clinical measures get worse"). We'll
        borrow it: if the homes stop raising things because they fear the conversation, we've failed.
        """, 35),
    P("liisa", """
        **To everyone:** in Finnish we have the word *sisu*, a kind of stubborn persistence. What will keep
        you going in month four, when the experiment is no longer new and exciting?
        """, 1),
    P("priya", "Each other, I hope. That's partly what this forum is for.", 37),
    P("jess.w", "Stories from families. One good story keeps our team going for a month.", 37),
    P("ruth", """
        Marcus's observation will stay with me. Thank you, everyone: this was a richer peer challenge than
        we'd have had in the room. Themes I'll take to design workshop 1:

        1. **Voluntary is tested by the exit.** Can people say no later? (EDUFI)
        2. **Who decides?** Moving decisions towards the people closest to the work. (HIS / PHS)
        3. **What will the centre stop doing?** Still open for all three teams.
        4. **Define failure as loss of trust**, not only as worse numbers. (Plymouth, borrowed by HIS)

        The thread stays open: keep the questions coming.
        """, 30, "the local team (Plymouth) is being asked about *risk*, and the national teams about "
                 "*control*: whether they'll let go."),
))

DESIGN_WORKSHOP_1 = TopicSpec("workshops", "Experiment design workshop 1: notes and follow-ups", 36, 5, (
    P("marcus", """
        Notes from experiment design workshop 1.

        **What we did**

        1. Each team restated its problem as *"what's not working, for whom, and how do we know?"*
        2. We listed the current measures and asked of each: *who is this for, and what decision does it
           inform?*
        3. We drafted a first learning cycle: what we'll try, for how long, and what we'll look at.

        **Follow-ups**

        - [x] Slides and the whiteboard photos shared (see below)
        - [ ] Each team posts its experiment plan in its category before workshop 2
        - [ ] Critical friends: at least one challenge question on each plan
        """),
    P("aino", """
        Our problem statement after the workshop: *"Colleges report to us about outcomes that change
        slowly; neither they nor we learn why anything works. Teachers experience reporting as control."*
        Plan coming this week.
        """, 1),
    P("callum", """
        The "who is this for?" exercise was uncomfortable. Of our nineteen dashboard measures, we could name
        a decision for six.
        """, 1),
    P("jess.w", """
        Question: is a four-week cycle compulsory? Family crises move faster than that, and four weeks feels
        long for us.
        """, 1),
    P("marcus", """
        Not compulsory at all. Four weeks is a default. Choose the rhythm that matches how fast things change
        in your work, and tell us why.
        """, 4),
    P("tom.b", "Two weeks, then. Families' lives move fast, and so do we.", 5),
    P("morag", """
        To add to Callum's point: the six measures we *could* link to decisions were all ones the homes
        themselves had asked for. That's a finding in itself.
        """, 3),
    P("ruth", """
        The slides and whiteboard photos are in the shared folder; ask me if you can't get in. The recording
        is available on request, but we don't circulate it by default, so that people speak freely.
        """, 1),
))

DESIGN_WORKSHOP_2 = TopicSpec(
    "workshops", "Experiment design workshop 2: from hypotheses to learning questions", 25, 6, (
    P("marcus", """
        Workshop 2 was about turning **hypotheses** (which invite proof) into **learning questions** (which
        invite attention). A few of the rewrites from the session:

        - *"The budget will reduce crisis referrals"* → **"What do workers do differently when they are
          trusted?"**
        - *"Learning conversations will improve clinical outcomes"* → **"What do homes notice when they start
          from what matters to residents?"**
        - *"Learning cycles will raise completion rates"* → **"What do students and teachers learn about their
          own practice in a cycle, and what do we do with it?"**

        We also practised deciding in advance *what we'd expect to see if we were wrong*.
        """),
    P("mikko.k", """
        We struggled with the funding question. "Does removing performance pressure change what colleges
        try?" still sounds like a hypothesis to me.
        """, 1),
    P("ishbel", """
        Mikko, maybe: "What do colleges try when the performance pressure is lifted, and what stops them?"
        The "what stops them" part is where the learning is.
        """, 2),
    P("priya", """
        The "what would we see if we were wrong" exercise was the most useful thing we've done so far. We
        wrote ours on the wall of the office.
        """, 1),
    P("amara", """
        We realised our learning question was a performance question in disguise. "How much money do we save
        by removing the panel?" That's a good thing to know, but it isn't what we're trying to learn.
        """, 1),
    P("marcus", """
        That's very common. The giveaway is usually "how much" or "by how much". Keep it as a measure you
        watch; just don't let it steer.
        """, 5),
    P("liisa", """
        Kiitos for a very good session. We'll try the rewriting exercise with the teachers in Jyväskylä next
        week: I think they will be better at it than we are.
        """, 1),
))

DEEP_DIVE = TopicSpec(
    "workshops", "Sharing & reflection deep dive: what we learned about learning", 5.5, 5.3, (
    P("ruth", """
        Thank you for two very full days in Helsinki, and special thanks to the EDUFI team for hosting us at
        the agency. A first summary; please add what I've missed.

        **Stewardship examples.** Following David's proposal, each team brought one. We ended up with nine,
        from "cancelled a contract monitoring meeting to ask what the provider is learning" to "night staff
        briefed in person, with cake".

        **Things we've stopped.** A mid-year self-assessment, an unread report, an eleven-page referral form,
        and dashboard-led reviews in four care homes. *Nothing has broken yet.*

        **Evidence of learning.** Students saying what they're proud of; a resident "more herself" at
        breakfast; families telling workers things earlier.

        **For cycle 3**, each team will post its plan in its own category.
        """),
    P("aino", """
        News from Opetushallitus: the unread report is officially stopped from the next term. How it
        happened: Mikko showed the head of unit the 2019 summary the report used to feed, which no longer
        exists. The decision took five minutes. The preparation took five weeks.
        """, 1),
    P("ruth", "Congratulations, and thank you for telling us *how*. That's the part others can reuse.", 2),
    P("david.r", """
        On the stewardship examples: what struck me is that none of the nine needed anyone's permission.
        They were all things people already had the authority to do, and hadn't.
        """, 1),
    P("tom.b", """
        My first trip abroad for work! The conversation in the sauna on Wednesday evening was better than
        most meetings I've been in. Also, Suomenlinna in the snow.
        """, 1),
    P("liisa", "The sauna is where the real decisions in Finland are made. 😄", 5),
    P("fiona.m", """
        My main reflection: we've been treating learning as a project that runs *alongside* management. The
        deep dive made me see that in HLS, **learning is the management strategy**. So in cycle 3 we'll
        replace our own team's monthly progress report with a learning conversation, like the homes have.
        """, 1),
    P("mikko.k", """
        In answer to Fiona's question from the theory of change thread, what we'd see if we were wrong: teams
        running cycles *for us* rather than for themselves. We saw a little of it in Tampere, and we'll
        watch for it.
        """, 1),
    P("jess.w", """
        Plymouth's cycle 3: the Devonport team will host the other hubs, and each hub will design its own
        version. No roll-out and no toolkit.
        """, 1),
    P("marcus", """
        Fiona, I think that's the heart of it. Most organisations bolt learning onto a control system. You're
        describing replacing the control system with a learning one, starting with yourselves.
        """, 7),
    P("priya", """
        For HIS / PHS cycle 3: residents will co-host the learning conversations in two of the homes. They
        asked to.
        """, 1),
))

TOPICS = (LAUNCH_PEER_CHALLENGE, DESIGN_WORKSHOP_1, DESIGN_WORKSHOP_2, DEEP_DIVE)
