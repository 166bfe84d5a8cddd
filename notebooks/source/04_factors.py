# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第四课 是什么在推动或拖累开发量：市场、团队、策略与客户关系
#
# 开发量下滑了，是市场不景气、人不行、打法不对，还是老客户没维护好？四种原因，对策完全不同：
# 市场问题要调目标、换区域；能力问题要培训、带教；策略问题要换渠道、换客户定位；客户关系问题要抓回访和转介绍。
# 这一课用工作日志表里的数据，把这四类因素一一拆开看。
#
# | 因素 | 在工作日志里看什么 | 本课的例子 |
# |---|---|---|
# | 市场环境 | 全公司同时变化的起伏、各区域之间的差异 | 春节、国庆的低谷；各团队的转化差异 |
# | 团队能力 | 同样的市场里，人和人之间的差距；培训前后的变化 | 陈静、张伟、刘洋 |
# | 营销策略 | 不同渠道来的客户，转化差多少 | 转介绍、陌拜、线上…… |
# | 客户关系管理 | 流失的原因、老客户带来的新客户 | 流失原因统计、老客户推荐渠道 |
#
# **学完这一课，你能够：**
#
# 1. 分清“大家一起变”（多半是市场）和“个别人变”（多半是能力或方法）；
# 2. 用“每换来一个新成交客户要做多少次活动”衡量效率，看出“忙”和“有效”的区别；
# 3. 用按批次的转化率判断一次培训有没有效果；
# 4. 按渠道比较客户质量，找出最值得投入的获客方式；
# 5. 从流失原因里找到客户关系管理的改进点。

# %% [markdown]
# > **这是模拟数据。** 课程自带的案例公司 directsales 是用课程的模拟器“造”出来的，不是一家真公司的记录。
# > 模拟器里事先写好了这些效果，所以数据只能把它们原样“读回来”：
# >
# > - **陈静、张伟、刘洋的特点是设定的**：陈静的能力值被设得很高、每天活动少；张伟能力值低、每天活动最多；
# >   刘洋是 2 月入职的新人，5 月 12 日的培训在模型里就是给他加了 120 个培训小时（`training_added_hours=120`），
# >   从那天起他的转化自然会变好。
# > - **各渠道的成交差距是设定的**：老客户推荐、转介绍事先就比陌拜、电话营销好成交。
# > - **流失原因是随机抽的**：每位流失客户的“备注”从五种原因里等概率抽一个，和客户、渠道、销售员都无关。
# > - **春节前后客户少是设定的**；全年还有一条缓慢的市场起伏和随机波动。
# > - **随机种子是挑过的**（随机种子是模拟器抽随机数的起点，换一个种子就是换一批运气）：
# >   从 1–14 号种子里挑了三个人的特点最明显的 7 号。
# >
# > 所以，这一课在案例上看到的“陈静会谈”“培训有效”“转介绍更好”，都是**模型的假设**，不是发现：
# > 它们演示的是**怎么看**，不能证明现实里培训一定有效。完整的清单见 `datasets/directsales/README.md`
# > 的“Built-in effects”一节。只有用你自己的工作日志表，看到的才是真正的证据。

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = ""  # 只看某个团队，空字符串表示全公司
period: str = "W"  # 看市场起伏用的统计周期：W 周、M 月、Q 季、Y 年
factor: str = "channel"  # 小工具默认比较的因素：channel 渠道 / team 团队 / rep 销售员

# %%
from IPython.display import display as show

import devvolume as dv

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
log = data.worklog  # 全公司的日志；选了团队时，团队的数字从全公司的结果里挑出来
scope = data.scope
reached = dv.reached_levels(log)  # 每位客户第一次到达每一级的日期和功劳，全公司只算这一次
period_name = dv.teach.PERIOD_LABELS[period]
print(f"{data.label}，范围：{scope}，统计周期：{period_name}")
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 市场环境：大家一起起落的部分
#
# 下图是每个周期的新接触客户数。注意那几个所有人一起掉下去的低谷：1 月底到 2 月初是春节，10 月初是国庆长假。
# 这种全公司同步的起伏，不是哪个销售员的问题，定目标、看环比时要把它考虑进去：
# **拿 2 月和 1 月比，不如拿今年 2 月和去年 2 月比。**

# %%
contacts = dv.teach.volume_view(log, level="contacted", period=period, team=team, reached=reached)
dv.viz.volume_trend(contacts, period=period, level="contacted",
                    title=f"{scope}：每{period_name}新接触客户（看季节起伏）")

# %%
quietest = contacts.sort_values(["volume", "period"]).head(3)
print("新接触客户最少的三个周期：" + "、".join(
    f"{p:%Y-%m-%d} 开始的那一{period_name[0]}（{v} 位）"
    for p, v in zip(quietest["period"], quietest["volume"], strict=True)))
data.note("春节、国庆的低谷说的是案例公司。你们的数据里最少的三个周期见上一行：是不是节假日、"
          "是不是全公司一起低，要对照日历和其他团队看（日志开头和结尾的周期如果没过完，数字自然偏少）。")

# %% [markdown]
# 市场的另一面是**区域差异**：同样的打法，有的区域客户需求旺、好谈，有的区域竞争激烈、难谈。
# 按团队比较全年的转化率和效率，差距里有一部分就来自各自负责的市场：

# %%
by_team = dv.teach.factor_view(log, factor="team", reached=reached)
dv.teach.chinese(by_team).round(3)

# %% [markdown]
# ## 2. 团队能力：同样的市场，不同的人
#
# 同一个团队里的人面对的是差不多的市场，他们之间的差距主要来自能力和方法。案例公司里有三个值得细看的人
# （提醒：他们的特点是模拟器里设定的，见本课开头的“这是模拟数据”）：
#
# - **陈静**：设定为能力高、每天活动少——看看数据里是不是“接触不多、成交率高”；
# - **张伟**：设定为能力低、每天活动最多——看看“忙”是不是等于“有效”；
# - **刘洋**：2 月入职的新人，5 月 12 日参加了一次系统培训（模型里给他加了培训小时）。
#
# 衡量效率的一个好指标是**每换来一个新成交客户要做多少次活动**（活动次数 ÷ 新成交客户）。数越小越高效。

# %%
by_rep = dv.teach.factor_view(log, factor="rep", reached=reached)
if data.is_case:  # 案例里值得细看的三个人
    spotlight = by_rep[by_rep["rep"].isin(["陈静", "张伟", "刘洋"])]
    spotlight_note = ""
else:  # 你的数据：范围内接触客户最多的人，和接触客户不少于中位数的人里转化率最高的人
    pool = dv.teach.factor_view(log, factor="rep", team=team, reached=reached)
    busiest = pool.sort_values(["contacted", "rep"], ascending=[False, True])["rep"].head(1).tolist()
    regular = pool[pool["contacted"] >= by_rep["contacted"].median()]
    sharpest = regular.sort_values(["conversion", "rep"], ascending=[False, True])["rep"].head(1).tolist()
    spotlight = by_rep[by_rep["rep"].isin(busiest + sharpest)]
    spotlight_note = (f"陈静、张伟、刘洋是案例公司的人。你们的数据里，上表放的是{scope}接触客户最多的 "
                      f"{'、'.join(busiest) or '（没有）'}，和接触客户不少于中位数的人里转化率最高的 "
                      f"{'、'.join(sharpest) or '（没有）'}；中位数是全公司所有销售员的。")
median = by_rep[["contacted", "converted", "conversion", "activities_per_new"]].median()
print(f"全公司销售员的中位数：接触 {median['contacted']:.0f} 位，成交 {median['converted']:.0f} 位，"
      f"转化率 {median['conversion']:.1%}，每个新成交客户 {median['activities_per_new']:.1f} 次活动")
dv.teach.chinese(spotlight).round(3)

# %%
data.note(spotlight_note)

# %%
team_reps = dv.teach.factor_view(log, factor="rep", team=team, reached=reached)
board = team_reps.rename(columns={"converted": "volume"})[["rep", "volume"]]
dv.viz.leaderboard(board, title=f"{scope}：全年新成交客户（按首次接触的销售员）")

# %% [markdown]
# ### 培训有没有用？按批次比较
#
# 判断培训效果，要比较**培训前接触的客户**和**培训后接触的客户**各自的转化率，而不是比较培训前后各成交了几单：
# 培训后成交的单子里，有不少是培训前就谈得差不多的客户。

# %%
trained = (None if data.reps is None  # 你自己的工作日志表里没有销售员名单
           else data.reps.dropna(subset=["trained_on"]).sort_values(["trained_on", "rep"]))
if trained is None:
    show(data.skip("按批次比较培训效果，要知道谁在哪一天参加了培训。案例数据的销售员名单里有培训日期，"
                   "工作日志表里没有，所以跳过；下面一段说的是案例里的刘洋。想在自己的数据上看，用 "
                   "dv.teach.before_after(log, rep=销售员, date=培训日期) 比较他培训前后接触的两批客户。"))
elif trained.empty:
    print("这个数据集里没有记录个人培训日期。")
else:
    trainee = str(trained["rep"].iloc[0])
    trained_on = f"{trained['trained_on'].iloc[0]:%Y-%m-%d}"
    print(f"{trainee}：{trained_on} 参加培训。按第一次接触的日期把他的客户分成两批：")
    split = dv.teach.before_after(log, rep=trainee, date=trained_on, reached=reached)
    show(dv.teach.chinese(split).round(3))
    by_rep_quarter = dv.conversion_rate(reached, start="contacted", end="won", period="Q",
                                        by="rep")
    cohorts = by_rep_quarter[by_rep_quarter["rep"] == trainee]
    show(dv.viz.conversion_by_cohort(
        cohorts, period="Q",
        title=f"{trainee}：每季度新接触的客户中后来成交的比例（{trained_on} 培训）"))

# %%
if trained is not None and not trained.empty:
    before, after = split["rate"].iloc[0], split["rate"].iloc[1]
    word = "更高" if after > before else "更低" if after < before else "一样"
    print(f"培训后接触的那批客户，成交比例是 {after:.1%}，比培训前那批的 {before:.1%} {word}。")
    if data.is_case:
        print("注意：这是模拟数据。案例的模型在培训那天给这位销售员加了培训小时，所以这个差距是模型的"
              "假设被读了回来，不是“培训有效”的证据。")

# %% [markdown]
# 在你自己的数据上做同样的比较，还要记住两点：一是新人本来就会随经验进步，培训的功劳和经验的功劳
# 分不太开（第七课会讲怎样判断一个变化是不是“真的”）；二是最后一个季度的客户还没来得及成交，比例会偏低。

# %% [markdown]
# ## 3. 营销策略：客户从哪里来
#
# 渠道决定了客户的“底子”。同样是一位新接触客户，从不同渠道来，成交的可能性可以差很多（差多少，表下面一行算给你看）。
# 一个客户属于哪个渠道，看第一次接触它的那一行。

# %%
channels = dv.teach.factor_view(log, factor="channel", team=team, reached=reached)
show(dv.teach.factor_chart(channels, factor="channel",
                           title=f"{scope}：各渠道客户从首次接触到成交的转化率"))
dv.teach.chinese(channels).round(3)

# %%
filled = channels[channels["channel"] != dv.teach.NOT_FILLED]
if len(filled):
    most = filled.sort_values(["contacted", "channel"], ascending=[False, True]).iloc[0]
    sizable = filled[filled["contacted"] >= filled["contacted"].median()]  # 太小的渠道不比转化率
    best = sizable.sort_values(["conversion", "channel"], ascending=[False, True]).iloc[0]
    worst = filled.sort_values(["conversion", "channel"]).iloc[0]
    fewest = filled.sort_values(["contacted", "channel"]).iloc[0]
    channel_text = (f"{scope}新接触客户最多的渠道是“{most['channel']}”（{int(most['contacted'])} 位，转化率 "
                    f"{most['conversion']:.1%}），最少的是“{fewest['channel']}”（{int(fewest['contacted'])} 位）；"
                    f"新接触客户不少于中位数的渠道里，转化率最高的是“{best['channel']}”"
                    f"（{best['conversion']:.1%}，{int(best['contacted'])} 位）。")
    top_rate = filled.sort_values(["conversion", "channel"], ascending=[False, True]).iloc[0]
    if worst["conversion"] > 0 and top_rate["channel"] != worst["channel"]:
        times = top_rate["conversion"] / worst["conversion"]
        channel_text += (f"转化率最高的“{top_rate['channel']}”（{top_rate['conversion']:.1%}）是最低的"
                         f"“{worst['channel']}”（{worst['conversion']:.1%}）的约 {times:.1f} 倍。")
else:
    channel_text = ("你们的日志没有填“渠道”列，所以上表只有“（未填写）”一行。在日志里加上“渠道”"
                    "（转介绍、陌拜、线上……），就能比较各渠道的客户质量了。")
if data.is_case:
    print(channel_text)
    print("这是模拟数据：各渠道的成交难易是模型里事先设定的，这里的差距是设定被读了回来。")
data.note(f"下面一段说的是案例公司。你们的数据里，{channel_text}")

# %% [markdown]
# 读这张表时要同时看两列：**转化率**说明客户质量，**新接触客户**说明渠道的容量。
# 上一行写着哪个渠道量最大、哪个转化最高。营销策略要做的，就是把精力往“又多又好”的方向挪：
# 例如把陌拜的一部分时间换成请老客户转介绍，或者先筛选、只拜访符合目标客户画像的企业（第五课的“精准定位”）。

# %% [markdown]
# ## 4. 客户关系管理：为什么会丢客户
#
# 客户流失时，日志的“备注”写着原因。把原因统计出来，就知道该从哪里改：是产品价格、跟进不及时，还是一开始就找错了人。
# 每位流失的客户只算一次：看他第一次流失的那一行写的备注（`dv.reached_levels` 加上 `by="note"`，
# 就会把那一行的备注带出来）。所以下表数的是**流失客户数**，不是日志里“流失”的行数。

# %%
lost = dv.reached_levels(log, by="note")
lost = lost[lost["level"] == "lost"]
if team:
    lost = lost[lost["team"] == team]
reasons = (lost["note"].fillna("（未填写）").value_counts().rename_axis("流失原因")
           .reset_index(name="流失客户数").sort_values(["流失客户数", "流失原因"], ascending=[False, True]))
reasons["占流失客户"] = (reasons["流失客户数"] / reasons["流失客户数"].sum()).round(3)
reasons.reset_index(drop=True)

# %%
if len(reasons):
    top = reasons.iloc[0]
    won_customers = reached.loc[reached["level"] == "won", "customer"]
    also_won = int(lost["customer"].isin(won_customers).sum())  # 流失过、但也成交过的客户
    reason_text = (f"{scope}名下有 {int(reasons['流失客户数'].sum())} 位流失客户，最多的备注是“{top['流失原因']}”，"
                   f"占 {top['占流失客户']:.1%}。"
                   + (f"其中 {also_won} 位也成交过：你们的日志里一位客户可以有好几笔单子，“流失”只说明有一笔没谈成。"
                      if also_won else ""))
else:
    reason_text = f"{scope}名下没有流失的客户。"
if data.is_case and len(reasons):
    low = reasons.iloc[-1]
    print(f"{reason_text}最少的“{low['流失原因']}”占 {low['占流失客户']:.1%}，"
          f"{len(reasons)} 种原因之间最多相差 {(top['占流失客户'] - low['占流失客户']) * 100:.1f} 个百分点。")
    print("这是模拟数据：模拟器给每位流失客户从这几种原因里等概率随机抽一个，所以它们本来就会差不多各占一份。"
          "这张表在案例上说明不了有没有“大漏洞”，只是把“随机抽”这个设定读了回来。")
data.note(f"上面说的是案例公司。{reason_text}这张表数的是每位流失客户第一次流失那一行的“备注”："
          "如果你们的备注里写的不是流失原因（例如写的是产品名），这张表就说明不了客户为什么流失。")

# %% [markdown]
# 在真实的数据里，流失原因往往有一两个特别突出——那就是最该先解决的：“联系不上”靠及时跟进和留好联系方式，
# “暂无需求”“预算不足”靠前期筛选客户，“价格谈不拢”“选择了竞品”靠谈判能力和方案。**备注要填**，否则这张表就做不出来。
#
# 客户关系管理的回报，也可能在渠道表里看到：如果“老客户推荐”的转化高（在案例里这是设定好的），
# 把成交的客户服务好、定期回访，他们不仅会复购（第三课的保留率），还会带来新客户。用你自己的数据核对这一点。

# %% [markdown]
# ## 5. 动手试一试：因素比较小工具
#
# 选要比较的因素（渠道、团队或销售员）和范围，看转化率、赢单率、活动效率的差异。每次改动都重新调用 `dv.teach.factor_view` 计算。

# %%
dv.teach.factor_explorer(log, factor=factor, team=team)

# %% [markdown]
# ## 6. 用你自己的数据
#
# 载入你的工作日志表：填路径（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事）
# 或上传，再点“加载”。载入后出现和第 5 节一样的因素比较小工具：按渠道、团队或销售员比较，范围也用下拉框选。
# 没有填“渠道”列的行会归到“（未填写）”。文件有问题时，会按 Excel 行号列出每一处问题，例如：

# %%
dv.teach.own_worklog("factor", factor=factor)

# %%
name, content = dv.teach.example_problem_file()
dv.teach.problems_table(dv.teach.load_uploaded(name, content).problems)

# %% [markdown]
# ## 小结
#
# - **市场环境**：全公司一起起落的部分（节假日、淡旺季、区域差异）不是个人问题，定目标、做比较时要剔除它。
# - **团队能力**：同一市场里人与人的差距来自能力和方法。“忙”不等于“有效”，用每个新成交客户的活动次数衡量效率。
# - **培训效果**：按“培训前接触的客户”和“培训后接触的客户”分批比较转化率，不要比较前后各成交了几单。
# - **营销策略**：渠道决定客户的底子，同时看转化率（质量）和新接触客户数（容量）。
# - **客户关系管理**：统计流失原因找到改进点；服务好老客户，他们会复购，也会推荐新客户。
# - 下一课：把这些因素变成四种提升策略，用模拟器看每种策略能带来多少新客户、值不值得投入。
