//! The visit register's groups of fields (走访登记表), each a fieldset, and the two kinds of
//! choice the shared components do not cover: several boxes to tick, and the guardianship
//! levels with their national definitions beside them.

use chrono::Duration;
use leptos::prelude::*;
use shared::children::CareLevel;
use shared::visits::{
    limits, Assistance, Emotion, Guardianship, Health, MetWith, Schooling, VisitMode,
};
use shared::Text;

use super::form_state::{VisitForm, NO, YES};
use crate::components::errors::{described_by, invalid_flag, FieldMessage};
use crate::components::form::{
    choices, CheckGroup, Checkbox, Choice, DateField, DateTimeField, RadioGroup, SelectField,
    TextArea, TextField,
};
use crate::i18n::use_i18n;
use crate::pages::children::form::today;

fn yes_no(yes: Text, no: Text) -> Vec<Choice> {
    vec![
        Choice::new(YES, yes.zh, yes.en),
        Choice::new(NO, no.zh, no.en),
    ]
}

/// 较好 / 一般 / 差 / 无人监护, each with its national definition under it.
#[component]
fn GuardianshipGroup(value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let field = "guardianship";
    let invalid = invalid_flag(field);
    view! {
        <fieldset id="guardianship" class=move || if invalid() { "field radios has-error" } else { "field radios" }
            data-field=field
            aria-describedby=move || described_by(Some("guardianship-hint".to_string()), field, invalid())>
            <legend>{move || i18n.tr("实际监护情况", "How well the child is looked after")}</legend>
            <p class="hint" id="guardianship-hint">{move || i18n.tr(
                "谁在实际照料儿童、照料得怎样,按以下国家定义选择。",
                "Who actually looks after the child and how well, by the national definitions below.")}</p>
            <FieldMessage field=field/>
            <div class="radio-list">
                {Guardianship::ALL.iter().copied().map(|option| {
                    let code = option.as_str();
                    let option_id = format!("guardianship-{code}");
                    let label_for = option_id.clone();
                    view! {
                        <label class="radio" for=label_for>
                            <input type="radio" id=option_id name="guardianship" value=code
                                prop:checked=move || value.with(|current| current == code)
                                on:change=move |_| value.set(code.to_string())/>
                            <span style="display:flex;flex-direction:column">
                                <span>{move || option.label().get(i18n.lang.get())}</span>
                                <span class="hint">{move || option.definition().get(i18n.lang.get())}</span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// 基本情况: when, how, whom the director met.
#[component]
pub fn BasicsPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let earliest = today - Duration::days(limits::BACKDATE_DAYS);
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("基本情况", "The visit")}</legend>
            <DateTimeField id="visited-at" field="visited_at" label_zh="走访时间" label_en="When"
                value=form.visited_at min=earliest max=today
                hint_zh="已填为现在;补登之前的走访时请修改。" hint_en="Set to now; change it when recording an earlier visit."/>
            <RadioGroup id="visit-mode" field="mode" legend_zh="走访方式" legend_en="How"
                options=choices(VisitMode::ALL, VisitMode::as_str, VisitMode::label) value=form.mode/>
            <CheckGroup id="met-with" field="met_with" legend_zh="见到了谁" legend_en="Whom you met"
                options=choices(MetWith::ALL, MetWith::as_str, MetWith::label) value=form.met_with
                hint_zh="可多选。" hint_en="Choose all that apply."/>
        </fieldset>
    }
}

/// 监护情况: how well the child is looked after, and the entrusted guardian.
#[component]
pub fn GuardianshipPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    let has = yes_no(Text::new("有", "Yes"), Text::new("没有", "No"));
    let capable = yes_no(
        Text::new("有能力照料", "Able to care for the child"),
        Text::new("没有能力照料", "Not able to care for the child"),
    );
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("监护情况", "Guardianship")}</legend>
            <GuardianshipGroup value=form.guardianship/>
            <RadioGroup id="entrusted" field="entrusted_guardian"
                legend_zh="是否有委托监护人" legend_en="Is there an entrusted guardian (委托监护人)?"
                options=has value=form.entrusted inline=true
                hint_zh="父母外出时书面委托照料儿童的人。" hint_en="Someone the parents have asked, in writing, to look after the child while they are away."/>
            <Show when=move || form.entrusted.get() == YES>
                <RadioGroup id="entrusted-capable" field="entrusted_guardian_capable"
                    legend_zh="委托监护人是否有能力照料" legend_en="Is the entrusted guardian able to care for the child?"
                    options=capable.clone() value=form.entrusted_capable/>
            </Show>
        </fieldset>
    }
}

/// 健康与上学: health (with a note when ill or disabled), schooling, feelings.
#[component]
pub fn HealthPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    let not_healthy = move || {
        form.health
            .with(|code| !code.is_empty() && code != Health::Healthy.as_str())
    };
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("健康与上学", "Health and school")}</legend>
            <RadioGroup id="health" field="health" legend_zh="健康状况" legend_en="Health"
                options=choices(Health::ALL, Health::as_str, Health::label) value=form.health inline=true/>
            <Show when=not_healthy>
                <TextField id="health-note" field="health_note" label_zh="健康情况说明" label_en="About the illness or disability"
                    value=form.health_note max=limits::SHORT_MAX
                    hint_zh="如:患哮喘,需要长期用药。" hint_en="e.g. asthma, needs medicine every day."/>
            </Show>
            <RadioGroup id="schooling" field="schooling" legend_zh="上学情况" legend_en="Schooling"
                options=choices(Schooling::ALL, Schooling::as_str, Schooling::label) value=form.schooling/>
            <SelectField id="emotion" field="emotion" label_zh="情绪状态" label_en="Emotional state"
                options=choices(Emotion::ALL, Emotion::as_str, Emotion::label) value=form.emotion/>
        </fieldset>
    }
}

/// 关注事项: the three concerns the district office looks at.
#[component]
pub fn ConcernsPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("关注事项", "Concerns")}</legend>
            <p class="hint">{move || i18n.tr(
                "发现以下情况请勾选,没有可不选。",
                "Tick what you found; leave empty if none.")}</p>
            <Checkbox id="unsafe-at-home" field="unsafe_at_home" checked=form.unsafe_at_home
                label_zh="家中存在安全隐患" label_en="The home is not safe"/>
            <Checkbox id="device-overuse" field="device_overuse" checked=form.device_overuse
                label_zh="沉迷手机或网络" label_en="Too much time on the phone or the internet"/>
            <Checkbox id="bullying-or-violence" field="bullying_or_violence" checked=form.bullying_or_violence
                label_zh="疑似遭受欺凌或暴力" label_en="Bullying or violence suspected"/>
        </fieldset>
    }
}

/// 家庭经济: income and assistance received.
#[component]
pub fn FamilyPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("家庭经济", "Family income")}</legend>
            <TextField id="income-sources" field="income_sources" label_zh="家庭收入来源" label_en="Where the family's income comes from"
                value=form.income_sources max=limits::SHORT_MAX required=false
                hint_zh="如:父母务工收入、务农。" hint_en="e.g. the parents' wages, farming."/>
            <CheckGroup id="assistance" field="assistance" legend_zh="已获得的救助" legend_en="Assistance received"
                options=choices(Assistance::ALL, Assistance::as_str, Assistance::label) value=form.assistance
                hint_zh="可多选;没有可不选。" hint_en="Choose all that apply; none if none." required=false/>
        </fieldset>
    }
}

/// 发现与处理: problems, needs, what was done on the spot, follow-up.
#[component]
pub fn FindingsPart(form: VisitForm) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let latest = today + Duration::days(366);
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("发现与处理", "Findings and action")}</legend>
            <TextArea id="problems-found" field="problems_found" label_zh="发现的问题" label_en="Problems found"
                value=form.problems_found max=limits::NOTE_MAX rows=3 required=false/>
            <TextArea id="needs" field="needs" label_zh="儿童和家庭的需求" label_en="What the child and the family need"
                value=form.needs max=limits::NOTE_MAX rows=3 required=false/>
            <TextArea id="action-taken" field="action_taken" label_zh="当场采取的措施" label_en="What you did on the spot"
                value=form.action_taken max=limits::NOTE_MAX rows=3 required=false/>
            <TextArea id="follow-up" field="follow_up" label_zh="需要跟进的事项" label_en="Follow-up needed"
                value=form.follow_up max=limits::NOTE_MAX rows=3 required=false
                hint_zh="填写了跟进日期时必填。" hint_en="Needed when you give a follow-up date."/>
            <DateField id="follow-up-by" field="follow_up_by" label_zh="跟进日期" label_en="Follow up by"
                value=form.follow_up_by min=today max=latest required=false/>
        </fieldset>
    }
}

/// 关爱等级: a change the director makes within their scope, with why.
#[component]
pub fn LevelPart(form: VisitForm, current: CareLevel) -> impl IntoView {
    let i18n = use_i18n();
    let others: Vec<CareLevel> = CareLevel::ALL
        .into_iter()
        .filter(|level| *level != current)
        .collect();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("关爱等级", "Care level")}</legend>
            <p id="current-level">
                {move || i18n.tr("当前关爱等级:", "Current care level: ")}
                <span class=format!("level level-{}", current.as_str())>{move || current.label().get(i18n.lang.get())}</span>
            </p>
            <SelectField id="proposed-level" field="proposed_level" label_zh="调整关爱等级为" label_en="Change the care level to"
                options=choices(&others, CareLevel::as_str, CareLevel::label) value=form.proposed_level required=false
                placeholder_zh="不调整" placeholder_en="No change"
                hint_zh="需要调整时选择;调整会记入儿童的关爱等级记录。" hint_en="Only when it should change; the change goes into the child's care-level history."/>
            <Show when=move || form.proposed_level.with(|code| !code.is_empty())>
                <TextField id="level-reason" field="level_reason" label_zh="调整原因" label_en="Why the level changes"
                    value=form.level_reason max=limits::SHORT_MAX/>
            </Show>
        </fieldset>
    }
}
