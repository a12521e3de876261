"""Demo topics outside the workshops: the public introduction, the noticeboard, introductions, the three
experiments and the facilitators' room. `start` and `span` are in days before the load."""

from forum.demo.content import P, TopicSpec

ABOUT = (
    TopicSpec("about", "Welcome to the Fellowship: what this group is", 46, 3, (
        P("ruth", """
            The Fellowship is an international action learning group of people who work in public services
            and are running **Human Learning Systems** (HLS) experiments in their own organisations.

            This cohort brings together four organisations:

            - the Innovation Centre of the Finnish National Agency for Education (Opetushallitus / EDUFI),
              working with vocational colleges in Jyväskylä and Tampere;
            - Healthcare Improvement Scotland;
            - Public Health Scotland;
            - Plymouth City Council.

            Each team runs one experiment for about six months. We meet for workshops, keep learning logs,
            and act as **critical friends** for each other's work: we ask the questions a team is too close
            to its experiment to ask itself.

            Most of this forum is for members only. This category is public, so that colleagues and anyone
            curious can see what we are about.
            """),
        P("marcus", """
            Thanks Ruth. For visitors: HLS is an approach to public management which starts from the
            observation that outcomes in complex systems are not delivered by any one organisation, and so
            cannot be "managed" by targets and payment-by-results. Instead it treats **learning as the
            management strategy**: human relationships, continuous learning and a healthy system.

            If you want to read more, the best starting point is the HLS report and the case studies that
            accompany it; we will collect our own reading list in the Workshops category.
            """, 1),
        P("aino", """
            Hyvää huomenta from Helsinki! We are very happy to be part of this. In Finland we often say we
            trust our teachers; this experiment is about whether our own administration behaves as if it
            does. 🙂
            """, 1),
    )),
    TopicSpec("about", "How we work: learning cycles, critical friends and learning logs", 45, 6, (
        P("marcus", """
            A short description of the rhythm of the programme.

            **Learning cycles.** Each team works in cycles of roughly four weeks: notice what is happening,
            make sense of it together, try something, look at what changed. The point is not to prove the
            experiment works but to learn faster than we would otherwise.

            **Learning logs.** Once a week (or whenever something happens) a team member posts a short log
            in their experiment's category: what we did, what surprised us, what we will try next.

            **Critical friends.** Every team is paired with the others. A critical friend asks questions such
            as:

            1. What would have to be true for this to work?
            2. Whose voice is missing from what you've told us?
            3. What are you measuring because it is easy rather than because it matters?
            4. What would you do differently if nobody was going to evaluate this?

            **Workshops.** Four whole-group sessions: the launch, two experiment design workshops and a
            sharing & reflection deep dive.
            """),
        P("fiona.m", """
            Question 4 is the one that always catches me out. We've been designing for the evaluation for so
            long that it's hard to imagine anything else.
            """, 1),
        P("ruth", """
            That's exactly why it's on the list, Fiona. It tends to produce the most honest answers.
            """, 2),
        P("jess.w", """
            Can logs be messy? Our front-line staff will not write polished reflections, and I don't want
            them to feel they have to.
            """, 1),
        P("marcus", """
            Messy is good. A photo of a whiteboard with three sentences underneath is a perfectly good
            learning log.
            """, 4),
    )),
)

NOTICEBOARD = (
    TopicSpec("noticeboard", "Programme dates: workshops and check-ins", 44, 20, (
        P("ruth", """
            Here are the dates for the first half of the programme. All times are **UK time**; add two hours
            for Helsinki.

            | Date | Session | Where |
            |------|---------|-------|
            | Week 1, Tue 10:00 | The launch (with peer challenge) | Online + Edinburgh room |
            | Week 2, Thu 13:00 | Experiment design workshop 1 | Online |
            | Week 4, Thu 13:00 | Experiment design workshop 2 | Online |
            | Weeks 3, 5, 7 | Team check-ins with a facilitator (30 min) | Online |
            | Week 6, Wed–Thu | Sharing & reflection deep dive | Helsinki (travel funded) |

            Please reply here if a date is impossible for your whole team and we'll look at it.
            """),
        P("david.r", """
            The deep dive overlaps with the PHS board away day for two of us. Could we join the Thursday
            only?
            """, 1),
        P("ruth", """
            Yes, of course. We'll put the cross-team sessions on Thursday morning so you don't miss them.
            """, 2),
        P("liisa", """
            For the Helsinki visit: the venue is about 10 minutes' walk from Helsinki central station. I can
            send a note about trams and where to eat that is not too expensive.
            """, 1),
        P("tom.b", """
            Liisa, yes please! None of us have been to Finland before.
            """, 4),
    )),
    TopicSpec("noticeboard", "Please read: how we use this forum", 43, 8, (
        P("marcus", """
            A few agreements, which we will revisit at the first workshop:

            - **What's said here stays here** unless the person who said it agrees otherwise. Experiments
              involve colleagues and sometimes service users; please don't post anything that identifies a
              member of the public.
            - **Assume good intent, and challenge anyway.** A critical friend is a friend first.
            - **Write for the tired reader.** Short posts, a clear first line.
            - Team rooms are private to the team (and facilitators can see them, so that we can help).

            Reply with anything you'd add.
            """),
        P("morag", """
            I'd add: it's fine to post something half-finished. The half-finished things are usually where
            the learning is.
            """, 1),
        P("amara", """
            Agree with Morag. Also: please avoid acronyms without explaining them once. I lost count of the
            acronyms in the launch!
            """, 2),
    )),
    TopicSpec("noticeboard", "Learning log template for cycle 2", 22, 14, (
        P("marcus", """
            Several of you asked for a template. Use it if it helps, ignore it if it doesn't.

            ```
            Learning log — [team], cycle [n], week [n]
            What we did:
            What surprised us:
            What we think it means (for now):
            What we'll try next:
            A question for our critical friends:
            ```

            Checklist for the end of the cycle:

            - [ ] one log per week, however short
            - [ ] at least one question posed to another team
            - [ ] one thing you stopped doing
            """),
        P("priya", """
            We've been using something similar. Adding "what surprised us" made the biggest difference:
            it forces you past the activity report.
            """, 1),
        P("mikko.k", """
            Could we add a line for "who we heard from"? Otherwise our logs are only the view from the
            office.
            """, 1),
        P("marcus", """
            Good idea, Mikko. I'll add it for cycle 3 and leave this one as it is so as not to confuse
            anybody mid-cycle.
            """, 3),
        P("jess.w", """
            We printed it and stuck it on the wall of the Devonport hub kitchen. Tom says it's the first
            template anyone there has filled in voluntarily.
            """, 1),
    )),
)

INTRODUCTIONS = (
    TopicSpec("introductions", "Hello from the Innovation Centre at Opetushallitus (EDUFI)", 43, 9, (
        P("aino", """
            Hei kaikki! I'm Aino, a senior adviser at the Innovation Centre of the Finnish National Agency for
            Education (in Finnish: Opetushallitus). Our team is four people:

            - **Mikko** — evaluation and data
            - **Liisa** — a former vocational teacher, now development manager
            - **Jussi** — works on funding programmes for vocational providers
            - and me.

            Our experiment is with vocational colleges in **Jyväskylä** and **Tampere**. We want to see what
            happens when teachers and students run short learning cycles together, and when we as the
            national agency ask "what are you learning?" instead of "did you hit the indicator?".
            """),
        P("ruth", """
            Tervetuloa, Aino, and welcome to the whole team. I'm very curious about the funding side: will
            Jussi be looking at how the funding rules shape what colleges report?
            """, 1),
        P("jussi.h", """
            Yes, that is exactly my part. Our funding model has a performance element based on completed
            qualifications and employment. It is not evil, but colleges say it makes them cautious about
            trying things.
            """, 2),
        P("fiona.m", """
            Hello from Glasgow! That tension between performance funding and experimentation sounds very
            familiar. Looking forward to comparing notes.
            """, 3),
        P("liisa", """
            I taught vehicle technology for twelve years in Jyväskylä before moving to EDUFI. I still know
            many teachers there, which helps: they tell me what they really think.
            """, 1),
        P("tom.b", """
            Liisa, that's brilliant. The people who tell you what they really think are worth more than any
            survey.
            """, 5),
        P("mikko.k", """
            Hello all. I'm the data person, but I'm here because I'm not sure our data tells us much. I hope
            to learn from the Scottish teams in particular about human-centred outcome measures.
            """, 1),
        P("ishbel", """
            Mikko, we should talk. PHS has a lot of data and exactly the same doubt.
            """, 7),
    )),
    TopicSpec(
        "introductions", "Healthcare Improvement Scotland and Public Health Scotland, saying hello", 42, 7, (
        P("fiona.m", """
            Hello everyone. We're a joint team of six from two national bodies:

            - from **Healthcare Improvement Scotland**: me (Fiona), Callum and Morag;
            - from **Public Health Scotland**: Ishbel, David and Priya.

            Our experiment is in a care home improvement collaborative in the west of Scotland. For years
            the collaborative has been run on a dashboard of falls, pressure ulcers and hospital admissions.
            We want to find out what happens if we put the residents' and staff's own sense of what matters
            at the centre instead.
            """),
        P("callum", """
            Hi all, Callum here. I'm the one who built the dashboard, so there's some personal growth
            involved for me in this experiment. 😅
            """, 1),
        P("aino", """
            Callum, that is very honest! Welcome.
            """, 2),
        P("priya", """
            Hi, I'm Priya from PHS. I'll be keeping our learning log. I've worked in health improvement for
            eight years, mostly on programmes that were evaluated to death and then stopped anyway.
            """, 1),
        P("david.r", """
            David, PHS. I work on how national bodies commission and support local improvement work, so the
            systems stewardship strand is what brought me here.
            """, 1),
        P("marcus", """
            Welcome all six. Two national bodies in one team is an experiment in itself. I'd be interested to
            hear, later on, how you make decisions together.
            """, 1),
    )),
    TopicSpec("introductions", "Plymouth family hubs team: hello!", 41, 5, (
        P("jess.w", """
            Hello from Plymouth! I lead the family hubs programme at Plymouth City Council. With me are:

            - **Tom**, a family support worker at our Devonport hub;
            - **Amara**, who leads on commissioning for early help.

            Our experiment is about **trust and autonomy for front-line workers**: giving hub staff the
            freedom (and a small budget) to do what a family actually needs, without a form and a panel.
            """),
        P("amara", """
            And I'm the commissioner, which means I'm the one who usually asks for the form. So I'm both
            part of the experiment and part of the problem. 🙂
            """, 1),
        P("liisa", """
            Hello Plymouth! Our teachers would love a small budget without a form. We will follow this
            closely.
            """, 1),
        P("tom.b", """
            Cheers Liisa. I'll write honestly in the logs about what works and what doesn't on the ground.
            """, 3),
        P("ruth", """
            Welcome, all three. Amara, "part of the experiment and part of the problem" might be the best
            description of systems stewardship I've heard.
            """, 2),
    )),
    TopicSpec("introductions", "One thing you would stop doing tomorrow if you could", 38, 37.9, (
        P("marcus", """
            An icebreaker that isn't really one. What is one thing your organisation does that you would
            stop tomorrow if you were allowed to? Short answers welcome.
            """),
        P("tom.b", "The referral form with eleven pages. Nobody reads past page three.", 1),
        P("morag", "The monthly RAG-rated highlight report. Everything is amber, forever.", 1),
        P("callum", "Morag's right. I built half of those reports. Amber is where hope goes to wait.", 3),
        P("aino", """
            Asking colleges for the same information in three different formats for three different units
            of our own agency.
            """, 1),
        P("mikko.k", "Aino, I think I own one of the three formats. Sorry.", 5),
        P("priya", "Evaluation plans written before we know what the work is.", 1),
        P("amara", """
            Contract monitoring meetings where the provider reports numbers and we nod. We could use that
            hour to ask what they are learning.
            """, 1),
        P("jess.w", "Amara, can we actually stop those? Let's talk on Monday.", 8),
        P("jussi.h", "Annual funding applications for work that obviously continues for five years.", 1),
        P("david.r", """
            Announcing new national programmes before asking what stopped the last one working.
            """, 1),
        P("ruth", """
            These are wonderful. I'll bring a few (anonymously) to the deep dive: stopping things is
            underrated as a systems intervention.
            """, 1),
    )),
)

VOCATIONAL = (
    TopicSpec(
        "vocational", "Experiment plan: learning cycles with vocational teachers in Jyväskylä", 32, 12, (
        P("aino", """
            Here is our experiment plan as it stands after the first design workshop.

            **The problem as we see it.** Vocational colleges report to us on completions and employment.
            Those numbers change slowly and tell neither the college nor us *why* something works. Teachers
            experience reporting as control, not as learning.

            **What we will try.**

            1. Two teacher teams (vehicle technology in Jyväskylä, social and health care in Tampere) run
               four-week learning cycles with their students.
            2. Each cycle ends with a 45-minute conversation with us — not a report.
            3. We (EDUFI) keep our own learning log about what *we* change as a result.

            **What we hope to learn.** Whether a national agency can hold colleges to account through
            learning conversations rather than indicators, and what that asks of us.
            """),
        P("fiona.m", """
            As your critical friend: what happens to the performance funding during the experiment? If the
            colleges are still paid on completions, will teachers believe you mean it?
            """, 1),
        P("jussi.h", """
            Fair question. We cannot change the funding law in six months. But we have agreed that the
            experiment groups' data will not be used in the performance part this year. It is small, but it
            is a signal.
            """, 2),
        P("fiona.m", "That's more than I expected, honestly. Good.", 3),
        P("marcus", """
            I like point 3 very much. It's rare for the "centre" to keep a learning log about itself. What
            would count as evidence that EDUFI has changed?
            """, 1),
        P("aino", """
            Mikko and I discussed this. Maybe: we stop asking for something, or we change a guidance
            document because of what teachers told us. Something concrete that colleges can see.
            """, 5),
        P("liisa", """
            The teachers in Jyväskylä were sceptical at first. One said: "So now we have to do learning
            cycles *and* the reports?" We need to make sure we remove something.
            """, 1),
        P("amara", """
            That quote could come from Plymouth. Every new thing arrives on top of the old things.
            """, 7),
        P("aino", """
            Kiitos everyone. We will add a line to the plan: **one reporting requirement removed per cycle**.
            """, 7),
    )),
    TopicSpec("vocational", "What counts as evidence of learning? (not just completion rates)", 27, 9, (
        P("mikko.k", """
            A question for everyone, not only our team. If we stop relying on completion rates, what do we
            look at? Ideas so far:

            - students' own account of what they can do now that they couldn't before;
            - teachers' learning logs;
            - changes in practice that we can observe (e.g. how the workshop is organised);
            - employers' stories, not only employment rates.

            My worry: all of these are *qualitative*, and our ministry likes numbers.
            """),
        P("ishbel", """
            The numbers aren't the enemy; it's using them as targets. We've had some success presenting a
            small number of measures *alongside* stories, and being explicit that the measures are for
            learning, not judgement.
            """, 1),
        P("mikko.k", """
            Ishbel, do you have an example of how you present that? A page, a picture?
            """, 2),
        P("ishbel", """
            I'll share one from the collaborative once it's anonymised. The trick was putting the question
            we were trying to answer at the top of each chart.
            """, 3),
        P("david.r", """
            Also worth asking the ministry what *decision* the numbers are for. Often nobody can say, and
            then the conversation changes.
            """, 1),
        P("liisa", """
            The teachers in Tampere suggested: "ask the students in week 1 and week 4 what they are proud
            of". It's simple and they liked it.
            """, 1),
        P("marcus", """
            Liisa, that's lovely, and it's a measure the students own. I'd be interested in what happens
            when their answers surprise the teachers.
            """, 6),
    )),
    TopicSpec("vocational", "Learning log: cycle 1, week 3 (Tampere and Jyväskylä visits)", 19, 4, (
        P("liisa", """
            **What we did.** Visited both teams. In Jyväskylä the vehicle technology teachers have started
            each week with a 15-minute "what did we learn last week" conversation with students. In Tampere
            it has been harder: staff shortages, and the cycle has slipped.

            **What surprised us.** The students in Jyväskylä asked to run the conversation themselves.

            **What we think it means.** Possibly: the cycle works better when it is owned by the people
            doing the work, not when it is a method we bring.

            **Next.** Ask the Tampere team what they would drop to make room — instead of pushing the cycle.

            **Question for critical friends.** How do you support a team that is struggling without
            turning the support into more pressure?
            """),
        P("tom.b", """
            On your question: in Plymouth we've found the best support is usually taking something off
            people's plate, not offering a workshop. Is there a report you could cancel for the Tampere team?
            """, 1),
        P("aino", """
            Tom, we already found one: the mid-year self-assessment. We told them this morning that they can
            skip it. They were very surprised.
            """, 2),
        P("morag", """
            Students asking to run the conversation themselves is a brilliant sign. Write that down
            somewhere the ministry will see it!
            """, 1),
        P("liisa", "Morag, it's going into the note for the steering group. 🙂", 4),
    )),
    TopicSpec("vocational", "Teachers asked for less reporting, not more", 15, 6, (
        P("jussi.h", """
            Short one. At the end of the first cycle conversation, a teacher in Jyväskylä said:

            > "If you want us to learn, give us time. Every hour on a report is an hour not spent looking at
            > what the students are doing."

            We counted: the vehicle technology team fills in **seven** recurring reports, three of which
            come from us (EDUFI) and the rest from the college or the municipality.
            """),
        P("callum", """
            Seven! Do you know what each of them is used for? In our collaborative we did that exercise and
            found two reports that nobody read at all.
            """, 1),
        P("jussi.h", """
            We are doing that now. So far one of ours is used for a statistic published once a year, one is
            used in funding, and one... we are still looking for who reads it.
            """, 2),
        P("callum", "The unread report is a universal constant. 😄", 3),
        P("mikko.k", """
            I found who reads the third one: it feeds an annual summary that was discontinued in 2019. The
            form survived the summary.
            """, 3),
        P("marcus", """
            That's a perfect example for the deep dive: a control system that outlived its purpose and that
            nobody felt able to stop. What will you do with it?
            """, 5),
        P("aino", "We have proposed stopping it from the next term. Decision in two weeks.", 6),
        P("ruth", "Please tell us what the decision is — and how it was made.", 7),
    )),
    TopicSpec("vocational", "Critical friends: your challenge questions on our theory of change", 14, 7, (
        P("mikko.k", """
            We've redrawn our theory of change after cycle 1. Short version:

            *If* teachers and students have time and permission to run their own learning cycles, *and* the
            national agency responds to what they learn rather than to indicators, *then* practice improves
            in ways that matter to students, *and* the agency becomes better at supporting colleges.

            Please challenge it. What's missing? What's wishful?
            """),
        P("david.r", """
            What's missing is the employers. Vocational education outcomes are made in workplaces as much as
            in colleges. Where are they in the cycle?
            """, 1),
        P("liisa", """
            David, you are right. In vehicle technology the on-the-job learning periods are half of the
            programme. We have not involved the workshops where students do their placements.
            """, 2),
        P("jess.w", """
            "The national agency responds to what they learn" is carrying a lot of weight. What happens when
            what they learn is inconvenient for the agency?
            """, 1),
        P("aino", """
            Honest answer: we don't know yet. The self-assessment decision will be the first real test.
            """, 4),
        P("jess.w", "That's a good honest answer. We're in the same place with our panel process.", 5),
        P("priya", """
            Small one: "practice improves in ways that matter to students" — who decides what matters? The
            students' "proud of" question could be how you find out.
            """, 1),
        P("mikko.k", """
            Priya, yes. We'll make that explicit: the students' answers define what "improves" means for
            that cycle.
            """, 7),
        P("fiona.m", """
            What would you expect to see by the end of cycle 3 if the theory is *wrong*? Deciding that in
            advance helped us a lot.
            """, 1),
        P("mikko.k", """
            Thank you, all. Fiona's question is the hardest. We'll bring an answer to the deep dive in
            Helsinki.
            """, 9),
    )),
)

VOCATIONAL_TEAM_ROOM = (
    TopicSpec(
        "vocational-team-room", "Draft note for the ministry steering group (not for sharing yet)", 9, 3, (
        P("aino", """
            Here's a first draft of the note for the steering group. Please comment here rather than in the
            document, so we keep one conversation.

            1. What we did in cycle 1
            2. What teachers and students told us (with the Jyväskylä quotes)
            3. What we (EDUFI) changed: the self-assessment, and the unread report
            4. What we ask of the ministry: patience with the performance data for one more year
            """),
        P("mikko.k", """
            Point 4 needs a number, or they will ignore it. "One more year" for how many providers?
            """, 1),
        P("jussi.h", "Two providers, about 400 students. Small enough not to scare anyone.", 2),
        P("liisa", """
            Can we put the students' own words first, before what we did? They are the strongest part.
            """, 1),
        P("aino", "Good, I'll reorder. New draft by Thursday.", 4),
    )),
    TopicSpec("vocational-team-room", "Who takes the Helsinki session on the 14th?", 8, 1.5, (
        P("liisa", """
            For the deep dive: someone needs to present our cycle 1 story (10 minutes). I can do it, unless
            Aino wants to?
            """),
        P("aino", "Please do, Liisa. You have the stories from Jyväskylä. I'll take the questions.", 1),
        P("jussi.h", "I'll book the room at the office in Hakaniemi for our preparation on Monday.", 1),
        P("liisa", "Kiitos! Monday at 9 then.", 3),
    )),
)

HEALTH = (
    TopicSpec(
        "health-and-care", "Experiment plan: human-centred outcomes in a care home collaborative", 31, 10, (
        P("fiona.m", """
            Our experiment plan after design workshop 1.

            **Context.** A collaborative of 14 care homes, supported by HIS and PHS, measured by falls,
            pressure ulcers and emergency admissions.

            **What we'll try.** In four homes, replace the monthly dashboard review with a *learning
            conversation* between home managers, care staff, a resident or family member, and one of us.
            Each home chooses what "a good week" means for the people who live there.

            **Hypothesis (loosely held).** Conversations grounded in what matters to residents will surface
            improvements the dashboard never showed — and the clinical measures will not get worse.

            **Risks.** Homes may see it as one more meeting. We (the national bodies) may find it hard to
            let go of the dashboard.
            """),
        P("aino", """
            Critical friend question: who decides which four homes? If you choose the "good" ones, you will
            learn that good homes do good things.
            """, 1),
        P("morag", """
            Aino, ouch, but fair. We did ask for volunteers, which probably means the keen ones.
            """, 2),
        P("david.r", """
            Volunteers are fine for a first cycle — you need some trust to start. But let's make sure one of
            the four is a home that's struggling, and be honest in the write-up about the selection.
            """, 3),
        P("tom.b", """
            "Each home chooses what a good week means" — I love this. Who in the home chooses, though? The
            manager, or the care staff on nights too?
            """, 1),
        P("fiona.m", """
            Tom, that's the question we argued about for an hour. Current answer: the staff and residents
            together, with the manager in the room but not chairing.
            """, 5),
        P("callum", """
            On the second risk: I've agreed to stop sending the dashboard to the four homes for three
            months. It's still produced (the board wants it), but it isn't the basis of our conversations.
            """, 1),
        P("ruth", """
            Callum, that's a significant step, and it's yours to take. Can you write in your log how it
            feels a few weeks in?
            """, 7),
        P("callum", "Will do. Current feeling: mild panic.", 8),
    )),
    TopicSpec(
        "health-and-care", "Replacing the KPI dashboard with a learning conversation: first attempt", 23, 7, (
        P("callum", """
            First learning conversation in one of the homes yesterday. Some notes while they're fresh:

            - It took 20 minutes before anyone said anything that wasn't on the dashboard.
            - The turning point was a night care assistant saying that residents on the first floor are
              woken at 6:00 because of the shift handover, not because they want to be.
            - Nobody had ever raised it, because "it's not a falls issue".
            - The home decided to try moving the handover for two weeks.

            It was the most useful hour I've spent in a care home in years, and none of it would have shown
            up on my dashboard.
            """),
        P("ishbel", """
            The 6:00 wake-up is a brilliant example. It's probably connected to falls too (tired residents,
            rushed mornings) but you'd never find that from the data first.
            """, 1),
        P("callum", """
            Exactly. Data second, conversation first. I'd have said the opposite a year ago.
            """, 2),
        P("mikko.k", """
            How did you record the conversation? We are struggling with this: notes feel like surveillance,
            no notes feel like we lose everything.
            """, 1),
        P("callum", """
            We agreed at the start that I'd write down only what the group decided to try, and read it back
            at the end. The rest stays in the room.
            """, 4),
        P("mikko.k", "Simple and respectful. We'll try that in Tampere.", 5),
        P("morag", """
            Update from the home: handover moved to 7:00 on the first floor. Two staff said the mornings are
            calmer. One resident's daughter noticed her mum was "more herself" at breakfast.
            """, 1),
        P("jess.w", """
            "More herself": that's the outcome. Not a KPI anywhere, and it's the whole point.
            """, 7),
    )),
    TopicSpec("health-and-care", "Population health data: what PHS can bring (and what it can't)", 21, 8, (
        P("ishbel", """
            Some reflections on where Public Health Scotland fits in this experiment.

            **What we can bring:** population-level context (who lives in these homes, what the local
            patterns of admissions look like), and a way of checking that changes don't harm anyone.

            **What we can't:** tell a home what matters to its residents. Our data is good at *how many*,
            weak at *what it's like*.

            I think our role is to be the system's memory, not its judge.
            """),
        P("marcus", """
            "The system's memory, not its judge" — could I borrow that for the deep dive?
            """, 1),
        P("ishbel", "Of course.", 2),
        P("david.r", """
            The difficulty is that our data has historically been used by others as a judge, whatever we
            intended. Changing that needs commissioners to change how they use it, not just us.
            """, 1),
        P("amara", """
            Speaking as a commissioner: yes. I've used national data as a stick without thinking about it.
            Happy to be challenged on that in Plymouth.
            """, 4),
        P("priya", """
            I wonder if we could write a short "how to use this data for learning" note alongside each
            release. Cheap to do, might change a few conversations.
            """, 4),
    )),
    TopicSpec("health-and-care", "Learning log: cycle 1 retrospective", 13, 3, (
        P("priya", """
            Cycle 1 retrospective, joint HIS/PHS team.

            **What we did:** four learning conversations in four homes, one of them a home that had been
            struggling (thanks, Aino and David, for pushing us on that).

            **What surprised us:** the struggling home engaged *more* than the others. The manager said it
            was the first time the national bodies had visited without a checklist.

            **What we think it means:** the absence of judgement may matter more than the method.

            **Next:** cycle 2 in the same homes, plus asking residents directly how they'd like to be
            involved.

            **Who we heard from:** managers, 11 care staff (4 on nights), 3 residents, 2 family members.
            """),
        P("aino", """
            Thank you for writing the selection part honestly. The struggling home engaging more is
            fascinating.
            """, 1),
        P("fiona.m", """
            It was humbling. We'd assumed they'd see us as one more burden.
            """, 2),
        P("marcus", """
            Priya, I notice you added "who we heard from" before we'd changed the template. 🙂 Could you
            say more about how you reached the night staff?
            """, 1),
        P("priya", """
            Morag went in at 22:00 with cake. That's the whole method.
            """, 4),
    )),
    TopicSpec("health-and-care", "Is 'systems stewardship' just a new word for commissioning?", 16, 7.5, (
        P("david.r", """
            A deliberately provocative question. We keep using the phrase **systems stewardship**. In
            practice, who is doing it, and how is it different from good commissioning? If we can't answer
            that, the phrase will be absorbed into business as usual within a year.
            """),
        P("amara", """
            As the commissioner in the room: good commissioning *can* be stewardship, but the commissioning
            cycle we inherited is about specifying, buying and monitoring. Stewardship is about the health of
            the relationships in the system. Different job.
            """, 1),
        P("david.r", "So what does a steward actually do on a Tuesday that a commissioner doesn't?", 2),
        P("amara", """
            This Tuesday, for example: I cancelled a contract monitoring meeting and used the hour to ask
            the provider what they'd change if they could. That's the difference in miniature.
            """, 3),
        P("marcus", """
            Some of the HLS writing describes stewardship as "creating the conditions for learning": making
            it safe, giving time, connecting people who should be talking. Commissioning can do that, but
            it doesn't have to.
            """, 1),
        P("mikko.k", """
            In Finland we don't commission in the same way, but the national agency has the same choice:
            we can "steer" or we can "steward". The Finnish word *ohjaus* (steering) is everywhere in our
            documents. Maybe that is the problem.
            """, 1),
        P("ruth", """
            Mikko, that's a wonderful observation. The words we use for our own role shape what we think
            we're allowed to do.
            """, 6),
        P("ishbel", """
            My view: stewardship is a role *anyone* can take, at any level. Commissioning is a function.
            Tom is a steward when he connects a family to the right neighbour.
            """, 1),
        P("tom.b", """
            Ishbel, I'd never have called it that, but yes. Half my job is introducing people who should
            know each other.
            """, 8),
        P("david.r", """
            OK, I'm partly convinced. Proposal: at the deep dive, each team brings one concrete example of
            stewardship from the last month, named as such. If we can't find one, that tells us something.
            """, 1),
        P("ruth", "Adopted. I'll add it to the deep dive agenda.", 10),
    )),
)

PLYMOUTH = (
    TopicSpec("plymouth-family-hubs", "Experiment plan: trust and autonomy for family hub workers", 30, 9, (
        P("jess.w", """
            Our plan after design workshop 1.

            **Now:** if a family hub worker thinks a family needs something (a washing machine, a bus pass,
            a week of childcare), they fill in a form, it goes to a weekly panel, and a decision arrives in
            one to three weeks. By then the crisis has usually moved on.

            **Experiment:** at the Devonport hub, workers get a small discretionary budget and the
            authority to spend it with the family, on the spot, recording only what they spent and why in
            two sentences.

            **What we want to learn:**

            - What do workers do with trust? (Our guess: spend less than the panel would, better.)
            - What happens to the relationship with the family?
            - What does the council have to change to make this normal, not a pilot?
            """),
        P("callum", """
            Critical friend question: what happens the first time something goes wrong? Someone spends money
            on something that looks bad in the local paper. Have you agreed in advance how you'll respond?
            """, 1),
        P("jess.w", """
            Callum, that's the question our director asked too. We've agreed: the first response is a
            learning conversation, not an investigation. It's written into the experiment plan, signed by
            the director.
            """, 2),
        P("amara", """
            It's the bit I'm most nervous about, honestly. Audit will ask questions. But we've invited our
            internal auditor to the next check-in rather than waiting for them to find us.
            """, 3),
        P("ruth", """
            Inviting the auditor in is a very good move. They are often more curious than we expect.
            """, 4),
        P("aino", """
            How big is the budget? I am asking because our teachers would also like to know what "small"
            means in Plymouth. 🙂
            """, 1),
        P("tom.b", "£1,500 for the hub for three months, no single spend over £250 without a quick chat.", 6),
        P("liisa", "That is small! And the trust is big. Very interesting combination.", 7),
    )),
    TopicSpec("plymouth-family-hubs", "A budget front-line workers can spend without asking", 18, 10, (
        P("tom.b", """
            Three weeks in. Here's what we've spent from the discretionary budget so far:

            | What | Cost | Why (in two sentences) |
            |------|-----:|------------------------|
            | School shoes, two children | £64 | The children were missing school. Back in class the next day. |
            | Gas top-up | £40 | Family had no heating, payday was four days away. |
            | Driving lesson voucher | £150 | Dad was offered a job that needs a licence. Started last week. |
            | Bus passes, one month | £76 | Mum can now get to the hospital appointments she kept missing. |
            | Fridge repair | £85 | Cheaper than a new one; they'd been eating takeaways. |

            **Total: £415 of £1,500.** The old panel would have approved most of these — in two weeks.
            """),
        P("ishbel", """
            £415 in three weeks is far less than I expected. Do you know what the panel process itself cost?
            """, 1),
        P("amara", """
            We estimated it roughly: about £120 of staff time per application, across worker, manager and
            panel. So the process cost more than most of the things it approved.
            """, 2),
        P("david.r", "That sentence will end up on a slide somewhere. Probably one of mine.", 3),
        P("morag", """
            I'd love to know how the families experienced it. Did it change the relationship with Tom and
            the team?
            """, 1),
        P("tom.b", """
            Morag, the clearest change: families tell us things earlier. The driving lesson dad told me
            about the job offer *before* turning it down. He'd have turned it down before.
            """, 5),
        P("jess.w", """
            We're also seeing workers spend *less* than they're allowed. One said: "it's the council's money
            and they trusted me with it, so I'm careful". Trust seems to create responsibility.
            """, 1),
        P("mikko.k", "Trust creates responsibility. I'm writing that on our office wall in Helsinki.", 7),
        P("amara", """
            For the record: audit came to the check-in. Their main question was whether we could extend it
            to the other hubs. I nearly fell off my chair.
            """, 4),
    )),
    TopicSpec("plymouth-family-hubs", "What families told us in the first month", 9, 7, (
        P("amara", """
            We asked twelve families (with their permission, anonymised) what's been different. Themes:

            1. **Speed.** "It got sorted the same day."
            2. **Not having to tell the story again.** The panel form meant re-telling difficult things to
               someone new.
            3. **Being asked.** Several said the worker asked what *they* thought would help.
            4. One family found it confusing that the neighbouring hub works differently.
            """),
        P("fiona.m", """
            Number 2 resonates with care homes too: residents and families tell the same story to every new
            professional. It's exhausting and it's a kind of harm.
            """, 1),
        P("tom.b", """
            Number 4 is fair. Families move between hubs and one of them asked why "the Devonport lot can
            help and you can't". Awkward for my colleagues at the other hub.
            """, 1),
        P("jess.w", """
            Which is also the strongest argument for scaling it. But I don't want to scale a "pilot"; I want
            the other hubs to design their own version.
            """, 3),
        P("ruth", """
            Jess, that's a very HLS instinct. Spreading learning rather than rolling out a model.
            """, 4),
        P("amara", """
            We're planning a session where Devonport staff host the other hubs. Peer to peer, no slides.
            """, 5),
    )),
    TopicSpec("plymouth-family-hubs", "Learning log, week 5: the referral form we stopped using", 4, 3.9, (
        P("tom.b", """
            **What we did.** Stopped using the eleven-page referral form for families who come to the hub
            themselves. We use a one-page "what's going on and what would help" sheet instead.

            **What surprised us.** Nothing broke. Nobody from the council has asked for the old form.

            **What we think it means.** Some of our rules exist because nobody has tested whether they're
            needed.

            **Next.** Find out who, if anyone, used the information from pages 4–11.

            **Question for critical friends.** How do you stop a process quietly without it quietly coming
            back?
            """),
        P("mikko.k", """
            Our unread report story in Finland is the same pattern! On your question: we are trying to
            record the decision to stop, with the reason, in the same place the requirement was written.
            Otherwise the next person finds the old rule and revives it.
            """, 1),
        P("amara", "Mikko, good advice. I'll update the procedure document rather than just ignoring it.", 2),
        P("priya", """
            Tom, "nothing broke" is such an important finding. Might be worth logging what you *expected*
            to break, so we can see the difference.
            """, 1),
        P("tom.b", """
            Priya, we expected safeguarding concerns to be missed. They weren't: the one-page sheet asks
            the question directly, and workers still use their judgement. I'll write it up properly.
            """, 4),
    )),
)

FACILITATORS_ROOM = (
    TopicSpec("facilitators-room", "Facilitator check-in: how are the teams doing?", 26, 12, (
        P("marcus", """
            Quick reflection after the team check-ins.

            - **EDUFI:** energised, but they carry a lot of weight from the ministry. Worth watching whether
              they feel safe to report failure.
            - **HIS/PHS:** six people from two organisations; decision-making is slow. Callum's dashboard
              decision is a real moment.
            - **Plymouth:** moving fastest. Risk: it becomes a story about a budget rather than about trust.
            """),
        P("ruth", """
            Agree on all three. On Plymouth, I'll ask Jess in the next check-in what they'd keep if the
            budget disappeared tomorrow.
            """, 1),
        P("marcus", "Good question. And for EDUFI, maybe we pair Mikko with Ishbel on the data side.", 2),
        P("ruth", "They've already found each other on the forum. 🙂", 3),
        P("marcus", """
            Later update: the pairing is going well. Also noting that the critical friend questions on the
            forum are getting sharper. Aino's "who decides which four homes?" was excellent.
            """, 1),
        P("ruth", "Let's highlight a few of the best questions at the deep dive, with permission.", 5),
    )),
    TopicSpec("facilitators-room", "Planning the deep dive: format and who hosts", 8, 1.5, (
        P("ruth", """
            Draft format for the sharing & reflection deep dive in Helsinki:

            - **Wednesday afternoon:** team stories (10 minutes each, no slides), then critical friend
              questions.
            - **Thursday morning:** cross-team themes — stewardship examples (David's proposal), stopping
              things, evidence of learning.
            - **Thursday afternoon:** what each team will change in cycle 3.
            """),
        P("marcus", """
            Looks right. I'd move the stewardship examples first on Thursday; they'll give us material for
            the other two themes.
            """, 1),
        P("ruth", "Done. Can you host Wednesday? I'll take Thursday.", 2),
        P("marcus", """
            Yes. I've asked Liisa for the restaurant tips she promised on the noticeboard, for the Wednesday
            evening.
            """, 3),
        P("ruth", "Perfect. Remember the PHS colleagues arrive on Thursday only.", 4),
    )),
)

TOPICS = (
    ABOUT + NOTICEBOARD + INTRODUCTIONS + VOCATIONAL + VOCATIONAL_TEAM_ROOM + HEALTH + PLYMOUTH
    + FACILITATORS_ROOM
)
